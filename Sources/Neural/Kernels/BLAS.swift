import CBLAS

/// The OpenBLAS calls the runtime makes. Row-major single precision throughout.
package enum BLAS {
    /// `C[m×n] = A[m×k] · B` where `B` is `[k×n]` (or `[n×k]` read transposed when `transposeB`).
    @inline(__always)
    static func sgemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), 0, c, blasint(ldc))
    }

    /// `y[n] = Σₖ x[k] · B[k×n]` for row-major `B` (`x · B`, one row of a GEMM): streams `B` once instead of
    /// packing it as `sgemm` would — what the FaceMesh heads (a 1×1 output over 6.5 MB of weights) need.
    @inline(__always)
    static func sgemvRow(n: Int, k: Int, x: UnsafePointer<Float>, b: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, CblasTrans, blasint(k), blasint(n), 1, b, blasint(n), x, 1, 0, y, 1)
    }
}
