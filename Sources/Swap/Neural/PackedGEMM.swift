/// A register-blocked SIMD GEMM for the small, thin matrices of 1×1 and im2col convolutions on mobile networks,
/// with the conv epilogue (bias, residual add, activation) applied in registers before the single store.
///
/// `C[m×n] = A[m×k] · B + bias (+ residual)`, `B` packed `[k × nPadded]` with zero columns past `n`.
/// OpenBLAS spends more on packing and dispatch than on arithmetic at these sizes (n ≤ 128, m·n·k ≈ 10⁶).
struct PackedGEMM {
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, nPadded: Int
    let bias: UnsafePointer<Float>  // nPadded values
    let residual: UnsafePointer<Float>?
    let residualChannels: Int
    let activation: ActivationApplier
    let c: UnsafeMutablePointer<Float>

    func run() {
        // Row blocks of 4 with 24-wide tiles when the width is a multiple of 24, else of 6 with 16-wide tiles:
        // 12 accumulators + the weight vectors + one broadcast fill the 16 ymm registers.
        let wide = nPadded % 24 == 0
        let block = wide ? 4 : 6
        var row = 0
        while row + block <= m {
            var col = 0
            if wide {
                while col < nPadded { tile4x24(row, col); col += 24 }
            } else {
                while col + 16 <= nPadded { tile6x16(row, col); col += 16 }
                if col < nPadded { tile6x8(row, col) }
            }
            epilogue(row, block)
            row += block
        }
        while row < m {
            var col = 0
            while col < nPadded { tile1x8(row, col); col += 8 }
            epilogue(row, 1)
            row += 1
        }
    }

    @inline(__always)
    private func tile6x16(_ row: Int, _ col: Int) {
        let bias0 = SIMD8<Float>.load(bias + col), bias1 = SIMD8<Float>.load(bias + col + 8)
        var c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1
        var c30 = bias0, c31 = bias1, c40 = bias0, c41 = bias1, c50 = bias0, c51 = bias1
        let a0 = a + row * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda
        var pb = b + col
        for i in 0..<k {
            let b0 = SIMD8<Float>.load(pb), b1 = SIMD8<Float>.load(pb + 8)
            let x0 = SIMD8<Float>(repeating: a0[i])
            c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1)
            let x1 = SIMD8<Float>(repeating: a1[i])
            c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1)
            let x2 = SIMD8<Float>(repeating: a2[i])
            c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1)
            let x3 = SIMD8<Float>(repeating: a3[i])
            c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1)
            let x4 = SIMD8<Float>(repeating: a4[i])
            c40 = c40.addingProduct(x4, b0); c41 = c41.addingProduct(x4, b1)
            let x5 = SIMD8<Float>(repeating: a5[i])
            c50 = c50.addingProduct(x5, b0); c51 = c51.addingProduct(x5, b1)
            pb += nPadded
        }
        finish(c00, row, col); finish(c01, row, col + 8)
        finish(c10, row + 1, col); finish(c11, row + 1, col + 8)
        finish(c20, row + 2, col); finish(c21, row + 2, col + 8)
        finish(c30, row + 3, col); finish(c31, row + 3, col + 8)
        finish(c40, row + 4, col); finish(c41, row + 4, col + 8)
        finish(c50, row + 5, col); finish(c51, row + 5, col + 8)
    }

    @inline(__always)
    private func tile6x8(_ row: Int, _ col: Int) {
        let bias0 = SIMD8<Float>.load(bias + col)
        var c0 = bias0, c1 = bias0, c2 = bias0, c3 = bias0, c4 = bias0, c5 = bias0
        let a0 = a + row * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda
        var pb = b + col
        for i in 0..<k {
            let b0 = SIMD8<Float>.load(pb)
            c0 = c0.addingProduct(SIMD8<Float>(repeating: a0[i]), b0)
            c1 = c1.addingProduct(SIMD8<Float>(repeating: a1[i]), b0)
            c2 = c2.addingProduct(SIMD8<Float>(repeating: a2[i]), b0)
            c3 = c3.addingProduct(SIMD8<Float>(repeating: a3[i]), b0)
            c4 = c4.addingProduct(SIMD8<Float>(repeating: a4[i]), b0)
            c5 = c5.addingProduct(SIMD8<Float>(repeating: a5[i]), b0)
            pb += nPadded
        }
        finish(c0, row, col); finish(c1, row + 1, col); finish(c2, row + 2, col)
        finish(c3, row + 3, col); finish(c4, row + 4, col); finish(c5, row + 5, col)
    }

    @inline(__always)
    private func tile4x24(_ row: Int, _ col: Int) {
        let bias0 = SIMD8<Float>.load(bias + col), bias1 = SIMD8<Float>.load(bias + col + 8)
        let bias2 = SIMD8<Float>.load(bias + col + 16)
        var c00 = bias0, c01 = bias1, c02 = bias2, c10 = bias0, c11 = bias1, c12 = bias2
        var c20 = bias0, c21 = bias1, c22 = bias2, c30 = bias0, c31 = bias1, c32 = bias2
        let a0 = a + row * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
        var pb = b + col
        for i in 0..<k {
            let b0 = SIMD8<Float>.load(pb), b1 = SIMD8<Float>.load(pb + 8), b2 = SIMD8<Float>.load(pb + 16)
            let x0 = SIMD8<Float>(repeating: a0[i])
            c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1); c02 = c02.addingProduct(x0, b2)
            let x1 = SIMD8<Float>(repeating: a1[i])
            c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1); c12 = c12.addingProduct(x1, b2)
            let x2 = SIMD8<Float>(repeating: a2[i])
            c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1); c22 = c22.addingProduct(x2, b2)
            let x3 = SIMD8<Float>(repeating: a3[i])
            c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1); c32 = c32.addingProduct(x3, b2)
            pb += nPadded
        }
        finish(c00, row, col); finish(c01, row, col + 8); finish(c02, row, col + 16)
        finish(c10, row + 1, col); finish(c11, row + 1, col + 8); finish(c12, row + 1, col + 16)
        finish(c20, row + 2, col); finish(c21, row + 2, col + 8); finish(c22, row + 2, col + 16)
        finish(c30, row + 3, col); finish(c31, row + 3, col + 8); finish(c32, row + 3, col + 16)
    }

    @inline(__always)
    private func tile1x8(_ row: Int, _ col: Int) {
        var acc = SIMD8<Float>.load(bias + col)
        let a0 = a + row * lda
        var pb = b + col
        for i in 0..<k {
            acc = acc.addingProduct(SIMD8<Float>(repeating: a0[i]), SIMD8<Float>.load(pb))
            pb += nPadded
        }
        finish(acc, row, col)
    }

    /// Stores output columns `col ..< col+8` of `row`, clipped to `n` (the epilogue runs after the row block).
    @inline(__always)
    private func finish(_ v: SIMD8<Float>, _ row: Int, _ col: Int) {
        if col + 8 <= n {
            v.store(to: c + row * n + col)
        } else {
            storePartial(v, c + row * n + col, count: n - col)
        }
    }

    @inline(never)
    private func storePartial(_ v: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        for j in 0..<count { out[j] = v[j] }
    }

    /// Residual add and activation over `rows` finished rows from `row` while they are still in L1. A separate
    /// pass (rather than per vector inside the tiles) keeps the tiles free of calls and branches.
    @inline(__always)
    private func epilogue(_ row: Int, _ rows: Int) {
        let out = c + row * n
        if let residual {
            let rc = residualChannels
            for r in 0..<rows {
                let o = out + r * n, src = residual + (row + r) * rc
                var j = 0
                while j + 8 <= rc { (SIMD8<Float>.load(o + j) + SIMD8<Float>.load(src + j)).store(to: o + j); j += 8 }
                while j < rc { o[j] += src[j]; j += 1 }
            }
        }
        activation.apply(to: out, pixels: rows, channels: n)
    }
}
