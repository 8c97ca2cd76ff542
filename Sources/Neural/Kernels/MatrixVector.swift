/// `y[n] = W[n×k] · x[k]` for a row-major `W`: the dense layers of one row (a full-size DFM model's bottleneck,
/// 50–100 MB of weights each), memory-bound, split by rows over the runtime's own threads. OpenBLAS's threaded
/// `sgemv` (used before) leaves its worker spinning after each call (`OPENBLAS_THREAD_TIMEOUT`, 2²⁸ cycles by
/// default), taking a core from the convolutions that follow: liae-udt 224 at 2 threads used 60–80 ms more CPU per
/// face than with the timeout at its minimum.
enum MatrixVector {
    /// Work items per thread, claimed in turn (a thread that starts late leaves its share to the others).
    static var itemsPerThread: Int { 8 }

    /// Computes `y` on up to `threads` threads.
    static func multiply(n: Int, k: Int, w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                         threads: Int) {
        let items = threads > 1 && n * k >= PackedGEMM<DenseRows>.parallelWork ? min((n + 3) / 4, threads * itemsPerThread) : 1
        Parallel.forEach(items) { item in
            let rows = Parallel.share(n, item, of: items)
            var r = rows.lowerBound
            while r + 4 <= rows.upperBound {
                rowsDot4(w + r * k, k: k, x: x, y: y + r)
                r += 4
            }
            while r < rows.upperBound {
                y[r] = rowDot(w + r * k, k: k, x: x)
                r += 1
            }
        }
    }

    /// Four rows at once: each element of `x` loaded once for four independent sums.
    @inline(__always)
    private static func rowsDot4(_ w: UnsafePointer<Float>, k: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        var i = 0
        while i + 16 <= k {
            let xv = V.load(x + i)
            a0 = a0.addingProduct(V.load(w0 + i), xv)
            a1 = a1.addingProduct(V.load(w1 + i), xv)
            a2 = a2.addingProduct(V.load(w2 + i), xv)
            a3 = a3.addingProduct(V.load(w3 + i), xv)
            i += 16
        }
        var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
        while i < k {
            s0 += w0[i] * x[i]; s1 += w1[i] * x[i]; s2 += w2[i] * x[i]; s3 += w3[i] * x[i]
            i += 1
        }
        y[0] = s0; y[1] = s1; y[2] = s2; y[3] = s3
    }

    @inline(__always)
    private static func rowDot(_ w: UnsafePointer<Float>, k: Int, x: UnsafePointer<Float>) -> Float {
        var a = SIMD16<Float>()
        var i = 0
        while i + 16 <= k { a = a.addingProduct(SIMD16<Float>.load(w + i), SIMD16<Float>.load(x + i)); i += 16 }
        var s = a.sum()
        while i < k { s += w[i] * x[i]; i += 1 }
        return s
    }
}
