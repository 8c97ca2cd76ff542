import CBLAS

/// Process-wide settings of the neural runtime.
public enum NeuralRuntime {
    /// Sets how many threads OpenBLAS may use for one GEMM (process-wide; 1 suits one network per thread).
    public static func setBLASThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// OpenBLAS's build description, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH … Cooperlake`.
    public static var blasConfiguration: String {
        guard let config = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: config)
    }
}
