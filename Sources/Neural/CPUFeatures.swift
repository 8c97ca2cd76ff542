import CCPUFeatures

/// Start-up check that the CPU has the instruction-set extensions the kernels were compiled for.
public enum CPUFeatures {
    /// nil when this CPU can run the build; otherwise a one-line message naming what is missing.
    ///
    /// Emitted into the caller (compiled for the caller's baseline CPU) and backed by C compiled for the baseline,
    /// so calling it first thing in `main` cannot itself hit an illegal instruction.
    @_alwaysEmitIntoClient
    public static func check() -> String? {
        guard let message = facelive_cpu_check() else { return nil }
        return String(cString: message)
    }

    /// The CPU the Swift kernels were compiled for (`FACELIVE_TARGET_CPU`, default `haswell`).
    public static var buildTarget: String { String(cString: facelive_target_cpu()) }
}
