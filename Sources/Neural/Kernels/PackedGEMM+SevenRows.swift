#if FACELIVE_AVX512
/// 7-row register tiles for the blocked path (AVX-512 only: 7 × 3 vectors = 21 accumulators + 3 weight vectors + a
/// broadcast fit the 32 zmm registers). Every DeepFaceLab resolution is 7·2ⁿ pixels square, so the rows of their
/// convs (49, 98, 196, 784, …) split into whole 7-row blocks, where 6-row blocks leave a padded block (a tenth of the
/// work at 7×7), and each weight vector loaded feeds 7 products instead of 6. Same products in the same order per
/// output as the 6-row tiles. Measured (1 thread, min CPU of 8 runs, alternating, load 6–8): 7×7 3×3 2048→2048
/// 44.2–45.7 → 41.6–44.7 ms, the batched 2×7×7 2048→1024 39.9–41.2 → 37.2–39.2 ms.
extension PackedGEMM {
    @inline(__always)
    func tile7x3<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span), c01 = initial(V.self, row, 0, col + w, span), c02 = initial(V.self, row, 0, col + 2 * w, span)
        var c10 = initial(V.self, row, 1, col, span), c11 = initial(V.self, row, 1, col + w, span), c12 = initial(V.self, row, 1, col + 2 * w, span)
        var c20 = initial(V.self, row, 2, col, span), c21 = initial(V.self, row, 2, col + w, span), c22 = initial(V.self, row, 2, col + 2 * w, span)
        var c30 = initial(V.self, row, 3, col, span), c31 = initial(V.self, row, 3, col + w, span), c32 = initial(V.self, row, 3, col + 2 * w, span)
        var c40 = initial(V.self, row, 4, col, span), c41 = initial(V.self, row, 4, col + w, span), c42 = initial(V.self, row, 4, col + 2 * w, span)
        var c50 = initial(V.self, row, 5, col, span), c51 = initial(V.self, row, 5, col + w, span), c52 = initial(V.self, row, 5, col + 2 * w, span)
        var c60 = initial(V.self, row, 6, col, span), c61 = initial(V.self, row, 6, col + w, span), c62 = initial(V.self, row, 6, col + 2 * w, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span), a4 = rowPointer(row, 4, span), a5 = rowPointer(row, 5, span), a6 = rowPointer(row, 6, span)
        var pb = b + col * k + span.ks.lowerBound * 3 * w
        for i in span.ks {
            let o = a.column(i)
            let b0 = V.load(pb), b1 = V.load(pb + w), b2 = V.load(pb + 2 * w)
            let x0 = V(repeating: a0[o])
            c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1); c02 = c02.addingProduct(x0, b2)
            let x1 = V(repeating: a1[o])
            c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1); c12 = c12.addingProduct(x1, b2)
            let x2 = V(repeating: a2[o])
            c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1); c22 = c22.addingProduct(x2, b2)
            let x3 = V(repeating: a3[o])
            c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1); c32 = c32.addingProduct(x3, b2)
            let x4 = V(repeating: a4[o])
            c40 = c40.addingProduct(x4, b0); c41 = c41.addingProduct(x4, b1); c42 = c42.addingProduct(x4, b2)
            let x5 = V(repeating: a5[o])
            c50 = c50.addingProduct(x5, b0); c51 = c51.addingProduct(x5, b1); c52 = c52.addingProduct(x5, b2)
            let x6 = V(repeating: a6[o])
            c60 = c60.addingProduct(x6, b0); c61 = c61.addingProduct(x6, b1); c62 = c62.addingProduct(x6, b2)
            pb += 3 * w
        }
        finish(c00, row, 0, col, span); finish(c01, row, 0, col + w, span); finish(c02, row, 0, col + 2 * w, span)
        finish(c10, row, 1, col, span); finish(c11, row, 1, col + w, span); finish(c12, row, 1, col + 2 * w, span)
        finish(c20, row, 2, col, span); finish(c21, row, 2, col + w, span); finish(c22, row, 2, col + 2 * w, span)
        finish(c30, row, 3, col, span); finish(c31, row, 3, col + w, span); finish(c32, row, 3, col + 2 * w, span)
        finish(c40, row, 4, col, span); finish(c41, row, 4, col + w, span); finish(c42, row, 4, col + 2 * w, span)
        finish(c50, row, 5, col, span); finish(c51, row, 5, col + w, span); finish(c52, row, 5, col + 2 * w, span)
        finish(c60, row, 6, col, span); finish(c61, row, 6, col + w, span); finish(c62, row, 6, col + 2 * w, span)
    }

    @inline(__always)
    func tile7x2<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span), c01 = initial(V.self, row, 0, col + w, span)
        var c10 = initial(V.self, row, 1, col, span), c11 = initial(V.self, row, 1, col + w, span)
        var c20 = initial(V.self, row, 2, col, span), c21 = initial(V.self, row, 2, col + w, span)
        var c30 = initial(V.self, row, 3, col, span), c31 = initial(V.self, row, 3, col + w, span)
        var c40 = initial(V.self, row, 4, col, span), c41 = initial(V.self, row, 4, col + w, span)
        var c50 = initial(V.self, row, 5, col, span), c51 = initial(V.self, row, 5, col + w, span)
        var c60 = initial(V.self, row, 6, col, span), c61 = initial(V.self, row, 6, col + w, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span), a4 = rowPointer(row, 4, span), a5 = rowPointer(row, 5, span), a6 = rowPointer(row, 6, span)
        var pb = b + col * k + span.ks.lowerBound * 2 * w
        for i in span.ks {
            let o = a.column(i)
            let b0 = V.load(pb), b1 = V.load(pb + w)
            let x0 = V(repeating: a0[o])
            c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1)
            let x1 = V(repeating: a1[o])
            c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1)
            let x2 = V(repeating: a2[o])
            c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1)
            let x3 = V(repeating: a3[o])
            c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1)
            let x4 = V(repeating: a4[o])
            c40 = c40.addingProduct(x4, b0); c41 = c41.addingProduct(x4, b1)
            let x5 = V(repeating: a5[o])
            c50 = c50.addingProduct(x5, b0); c51 = c51.addingProduct(x5, b1)
            let x6 = V(repeating: a6[o])
            c60 = c60.addingProduct(x6, b0); c61 = c61.addingProduct(x6, b1)
            pb += 2 * w
        }
        finish(c00, row, 0, col, span); finish(c01, row, 0, col + w, span)
        finish(c10, row, 1, col, span); finish(c11, row, 1, col + w, span)
        finish(c20, row, 2, col, span); finish(c21, row, 2, col + w, span)
        finish(c30, row, 3, col, span); finish(c31, row, 3, col + w, span)
        finish(c40, row, 4, col, span); finish(c41, row, 4, col + w, span)
        finish(c50, row, 5, col, span); finish(c51, row, 5, col + w, span)
        finish(c60, row, 6, col, span); finish(c61, row, 6, col + w, span)
    }

    @inline(__always)
    func tile7x1<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span)
        var c10 = initial(V.self, row, 1, col, span)
        var c20 = initial(V.self, row, 2, col, span)
        var c30 = initial(V.self, row, 3, col, span)
        var c40 = initial(V.self, row, 4, col, span)
        var c50 = initial(V.self, row, 5, col, span)
        var c60 = initial(V.self, row, 6, col, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span), a4 = rowPointer(row, 4, span), a5 = rowPointer(row, 5, span), a6 = rowPointer(row, 6, span)
        var pb = b + col * k + span.ks.lowerBound * w
        for i in span.ks {
            let o = a.column(i)
            let b0 = V.load(pb)
            let x0 = V(repeating: a0[o])
            c00 = c00.addingProduct(x0, b0)
            let x1 = V(repeating: a1[o])
            c10 = c10.addingProduct(x1, b0)
            let x2 = V(repeating: a2[o])
            c20 = c20.addingProduct(x2, b0)
            let x3 = V(repeating: a3[o])
            c30 = c30.addingProduct(x3, b0)
            let x4 = V(repeating: a4[o])
            c40 = c40.addingProduct(x4, b0)
            let x5 = V(repeating: a5[o])
            c50 = c50.addingProduct(x5, b0)
            let x6 = V(repeating: a6[o])
            c60 = c60.addingProduct(x6, b0)
            pb += w
        }
        finish(c00, row, 0, col, span)
        finish(c10, row, 1, col, span)
        finish(c20, row, 2, col, span)
        finish(c30, row, 3, col, span)
        finish(c40, row, 4, col, span)
        finish(c50, row, 5, col, span)
        finish(c60, row, 6, col, span)
    }
}
#endif
