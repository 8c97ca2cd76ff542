import CBLAS

/// Process-wide settings of the neural runtime.
public enum NeuralRuntime {
    /// Sets how many threads one GEMM may use, OpenBLAS's and the packed kernels' (process-wide; 1 suits one
    /// network per thread).
    public static func setBLASThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// Threads one GEMM may use: OpenBLAS's setting, which ``setBLASThreadCount(_:)`` sets (the runtime keeps no
    /// copy of its own).
    package static var threadCount: Int { max(1, Int(openblas_get_num_threads())) }

    /// OpenBLAS's build description, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH … Cooperlake`.
    public static var blasConfiguration: String {
        guard let config = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: config)
    }
}
