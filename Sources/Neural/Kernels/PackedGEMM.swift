/// A register-blocked SIMD GEMM for the small, thin matrices of 1×1 and im2col convolutions on mobile networks,
/// with the conv epilogue fused: bias in the accumulators, residual add and activation as a pass over each finished
/// row block while it is still in L1.
///
/// `C[m×n] = A[m×k] · B + bias (+ residual)`, `B` packed by ``GEMMPanels`` (one contiguous `[k × width]` panel per
/// register tile, zero columns past `n`), so every tile streams its weights sequentially.
/// OpenBLAS spends more on packing and dispatch than on arithmetic at these sizes (n ≤ 128, m·n·k ≈ 10⁶).
/// `A` is either a dense matrix or gathered straight from a (padded) image — an implicit im2col.
struct PackedGEMM<A: GEMMRows> {
    let m: Int, n: Int, k: Int
    let a: A
    let b: UnsafePointer<Float>, nPadded: Int
    let bias: UnsafePointer<Float>  // nPadded values
    let residual: UnsafePointer<Float>?
    let residualChannels: Int
    let activation: ActivationApplier
    let c: UnsafeMutablePointer<Float>

    /// Above this many packed weights (1 MB) `B` no longer stays cached while every row block streams it (the
    /// 6×6 and 12×12 layers of the swap decoders: 1–2 MB), so the rows are swept panel by panel instead, each
    /// panel of `B` read from memory once.
    static var panelThreshold: Int { 1 << 18 }

    // Callers in other files are compiled separately in debug builds (no whole-module optimisation) and would get
    // the unspecialised generic body, whose SIMD tiles then go through protocol witnesses (~100× slower).
    @_specialize(where A == DenseRows)
    @_specialize(where A == GatheredRows)
    func run() {
        let block = GEMMPanels.rowBlock(nPadded: nPadded)
        let fullRows = m - m % block
        if k * nPadded > Self.panelThreshold {
            GEMMPanels.forEach(nPadded: nPadded) { col, shape in
                var row = 0
                while row < fullRows { tile(shape, row, col); row += block }
            }
            var row = 0
            while row < fullRows { epilogue(row, block); row += block }
        } else {
            var row = 0
            while row < fullRows {
                GEMMPanels.forEach(nPadded: nPadded) { col, shape in tile(shape, row, col) }
                epilogue(row, block)
                row += block
            }
        }
        for row in fullRows..<m {
            GEMMPanels.forEach(nPadded: nPadded) { col, shape in
                #if FACELIVE_AVX512
                if shape == .half {
                    tile1x1(SIMD8<Float>.self, row, col, offset: 0, stride: 8)
                    return
                }
                var offset = 0
                while offset < shape.width { tile1x1(SIMD16<Float>.self, row, col, offset: offset, stride: shape.width); offset += 16 }
                #else
                var offset = 0
                while offset < shape.width { tile1x1(SIMD8<Float>.self, row, col, offset: offset, stride: shape.width); offset += 8 }
                #endif
            }
            epilogue(row, 1)
        }
    }

    @inline(__always)
    private func tile(_ shape: GEMMPanels.Shape, _ row: Int, _ col: Int) {
        #if FACELIVE_AVX512
        // 32 zmm registers: 6 rows × 48 columns (18 accumulators) when the width allows, else 6 × 32 plus a
        // 16- and an 8-wide tail. Measured on Sapphire Rapids: 1.6–1.9× the 8-lane tiles' GFLOP/s.
        switch shape {
        case .three: tile6x3(SIMD16<Float>.self, row, col)
        case .two: tile6x2(SIMD16<Float>.self, row, col)
        case .one: tile6x1(SIMD16<Float>.self, row, col)
        case .half: tile6x1(SIMD8<Float>.self, row, col)
        }
        #else
        // Row blocks of 4 with 24-wide tiles when the width is a multiple of 24, else of 6 with 16-wide tiles:
        // 12 accumulators + the weight vectors + one broadcast fill the 16 ymm registers.
        switch shape {
        case .three: tile4x3(SIMD8<Float>.self, row, col)
        case .two: tile6x2(SIMD8<Float>.self, row, col)
        case .one, .half: tile6x1(SIMD8<Float>.self, row, col)
        }
        #endif
    }

    // Tiles `R×C`: R rows of C vectors (of `V.scalarCount` columns each), accumulated over all of k in registers.
    // Spelled out per shape: LLVM keeps named accumulators in registers, not an array of them.

    @inline(__always)
    private func tile6x3<V: SIMD>(_: V.Type, _ row: Int, _ col: Int) where V.Scalar == Float {
        let w = V.scalarCount
        let bias0 = V.load(bias + col), bias1 = V.load(bias + col + w), bias2 = V.load(bias + col + 2 * w)
        var c00 = bias0, c01 = bias1, c02 = bias2, c10 = bias0, c11 = bias1, c12 = bias2
        var c20 = bias0, c21 = bias1, c22 = bias2, c30 = bias0, c31 = bias1, c32 = bias2
        var c40 = bias0, c41 = bias1, c42 = bias2, c50 = bias0, c51 = bias1, c52 = bias2
        let a0 = a.row(row), a1 = a.row(row + 1), a2 = a.row(row + 2), a3 = a.row(row + 3), a4 = a.row(row + 4), a5 = a.row(row + 5)
        var pb = b + col * k
        for i in 0..<k {
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
            pb += 3 * w
        }
        finish(c00, row, col); finish(c01, row, col + w); finish(c02, row, col + 2 * w)
        finish(c10, row + 1, col); finish(c11, row + 1, col + w); finish(c12, row + 1, col + 2 * w)
        finish(c20, row + 2, col); finish(c21, row + 2, col + w); finish(c22, row + 2, col + 2 * w)
        finish(c30, row + 3, col); finish(c31, row + 3, col + w); finish(c32, row + 3, col + 2 * w)
        finish(c40, row + 4, col); finish(c41, row + 4, col + w); finish(c42, row + 4, col + 2 * w)
        finish(c50, row + 5, col); finish(c51, row + 5, col + w); finish(c52, row + 5, col + 2 * w)
    }

    @inline(__always)
    private func tile6x2<V: SIMD>(_: V.Type, _ row: Int, _ col: Int) where V.Scalar == Float {
        let w = V.scalarCount
        let bias0 = V.load(bias + col), bias1 = V.load(bias + col + w)
        var c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1
        var c30 = bias0, c31 = bias1, c40 = bias0, c41 = bias1, c50 = bias0, c51 = bias1
        let a0 = a.row(row), a1 = a.row(row + 1), a2 = a.row(row + 2), a3 = a.row(row + 3), a4 = a.row(row + 4), a5 = a.row(row + 5)
        var pb = b + col * k
        for i in 0..<k {
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
            pb += 2 * w
        }
        finish(c00, row, col); finish(c01, row, col + w)
        finish(c10, row + 1, col); finish(c11, row + 1, col + w)
        finish(c20, row + 2, col); finish(c21, row + 2, col + w)
        finish(c30, row + 3, col); finish(c31, row + 3, col + w)
        finish(c40, row + 4, col); finish(c41, row + 4, col + w)
        finish(c50, row + 5, col); finish(c51, row + 5, col + w)
    }

    @inline(__always)
    private func tile6x1<V: SIMD>(_: V.Type, _ row: Int, _ col: Int) where V.Scalar == Float {
        let bias0 = V.load(bias + col)
        var c0 = bias0, c1 = bias0, c2 = bias0, c3 = bias0, c4 = bias0, c5 = bias0
        let a0 = a.row(row), a1 = a.row(row + 1), a2 = a.row(row + 2), a3 = a.row(row + 3), a4 = a.row(row + 4), a5 = a.row(row + 5)
        var pb = b + col * k
        for i in 0..<k {
            let o = a.column(i)
            let b0 = V.load(pb)
            c0 = c0.addingProduct(V(repeating: a0[o]), b0)
            c1 = c1.addingProduct(V(repeating: a1[o]), b0)
            c2 = c2.addingProduct(V(repeating: a2[o]), b0)
            c3 = c3.addingProduct(V(repeating: a3[o]), b0)
            c4 = c4.addingProduct(V(repeating: a4[o]), b0)
            c5 = c5.addingProduct(V(repeating: a5[o]), b0)
            pb += V.scalarCount
        }
        finish(c0, row, col); finish(c1, row + 1, col); finish(c2, row + 2, col)
        finish(c3, row + 3, col); finish(c4, row + 4, col); finish(c5, row + 5, col)
    }

    @inline(__always)
    private func tile4x3<V: SIMD>(_: V.Type, _ row: Int, _ col: Int) where V.Scalar == Float {
        let w = V.scalarCount
        let bias0 = V.load(bias + col), bias1 = V.load(bias + col + w), bias2 = V.load(bias + col + 2 * w)
        var c00 = bias0, c01 = bias1, c02 = bias2, c10 = bias0, c11 = bias1, c12 = bias2
        var c20 = bias0, c21 = bias1, c22 = bias2, c30 = bias0, c31 = bias1, c32 = bias2
        let a0 = a.row(row), a1 = a.row(row + 1), a2 = a.row(row + 2), a3 = a.row(row + 3)
        var pb = b + col * k
        for i in 0..<k {
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
            pb += 3 * w
        }
        finish(c00, row, col); finish(c01, row, col + w); finish(c02, row, col + 2 * w)
        finish(c10, row + 1, col); finish(c11, row + 1, col + w); finish(c12, row + 1, col + 2 * w)
        finish(c20, row + 2, col); finish(c21, row + 2, col + w); finish(c22, row + 2, col + 2 * w)
        finish(c30, row + 3, col); finish(c31, row + 3, col + w); finish(c32, row + 3, col + 2 * w)
    }

    /// One row, one vector: columns `col + offset…` of the `stride`-wide panel at `col`.
    @inline(__always)
    private func tile1x1<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, offset: Int, stride: Int) where V.Scalar == Float {
        var acc = V.load(bias + col + offset)
        let a0 = a.row(row)
        var pb = b + col * k + offset
        for i in 0..<k {
            acc = acc.addingProduct(V(repeating: a0[a.column(i)]), V.load(pb))
            pb += stride
        }
        finish(acc, row, col + offset)
    }

    /// Stores the vector for output columns `col…` of `row`, clipped to `n` (the epilogue runs after the row block).
    @inline(__always)
    private func finish<V: SIMD>(_ v: V, _ row: Int, _ col: Int) where V.Scalar == Float {
        if col + V.scalarCount <= n {
            v.store(to: c + row * n + col)
        } else {
            storePartial(v, c + row * n + col, count: n - col)
        }
    }

    @inline(never)
    private func storePartial<V: SIMD>(_ v: V, _ out: UnsafeMutablePointer<Float>, count: Int) where V.Scalar == Float {
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

/// How ``PackedGEMM`` finds element (row, i) of its left operand: `row(row)[column(i)]`.
protocol GEMMRows {
    func row(_ r: Int) -> UnsafePointer<Float>
    func column(_ i: Int) -> Int
}

/// A row-major matrix.
struct DenseRows: GEMMRows {
    let base: UnsafePointer<Float>
    let stride: Int
    @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> { base + r * stride }
    @inline(__always) func column(_ i: Int) -> Int { i }
}

/// Patches of an image read in place: row `r` starts at its window's corner, column `i` is a fixed offset from it.
struct GatheredRows: GEMMRows {
    let base: UnsafePointer<Float>
    let rowOffsets: UnsafePointer<Int>
    let columnOffsets: UnsafePointer<Int>
    @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> { base + rowOffsets[r] }
    @inline(__always) func column(_ i: Int) -> Int { columnOffsets[i] }
}

/// How ``PackedGEMM`` covers the columns of `B` with register tiles, and the matching weight layout: one panel per
/// tile, `[k × width]` contiguous, panels in column order — the panel of the tile at column `col` starts at `col · k`.
enum GEMMPanels {
    /// A tile's width in vectors; `half` is an 8-lane vector where the main width is 16.
    enum Shape {
        case three, two, one, half

        /// Columns.
        var width: Int {
            #if FACELIVE_AVX512
            switch self { case .three: 48; case .two: 32; case .one: 16; case .half: 8 }
            #else
            switch self { case .three: 24; case .two: 16; case .one, .half: 8 }
            #endif
        }
    }

    /// Rows per register tile for `nPadded` columns.
    static func rowBlock(nPadded: Int) -> Int {
        #if FACELIVE_AVX512
        6
        #else
        nPadded % 24 == 0 ? 4 : 6
        #endif
    }

    /// Calls `body(column, shape)` for each tile of a row block, left to right.
    @inline(__always)
    static func forEach(nPadded: Int, _ body: (Int, Shape) -> Void) {
        let wide = Shape.three.width
        var col = 0
        if nPadded % wide == 0 {
            while col < nPadded { body(col, .three); col += wide }
            return
        }
        #if FACELIVE_AVX512
        while col + 32 <= nPadded { body(col, .two); col += 32 }
        if col + 16 <= nPadded { body(col, .one); col += 16 }
        if col < nPadded { body(col, .half) }
        #else
        while col + 16 <= nPadded { body(col, .two); col += 16 }
        if col < nPadded { body(col, .one) }
        #endif
    }

    /// Columns of packed storage for `n` output columns (whole 8-lane vectors).
    static func paddedColumns(_ n: Int) -> Int { (n + 7) & ~7 }

    /// Writes `B[i][j] = value(i, j)` (`i < k`, `j < n`) in panel layout to `packed` (`k × paddedColumns(n)`
    /// floats), zeros past `n`.
    @inline(__always)
    static func pack(k: Int, n: Int, into packed: UnsafeMutablePointer<Float>, value: (Int, Int) -> Float) {
        forEach(nPadded: paddedColumns(n)) { col, shape in
            let w = shape.width
            let panel = packed + col * k
            for i in 0..<k {
                for j in 0..<w { panel[i * w + j] = col + j < n ? value(i, col + j) : 0 }
            }
        }
    }
}
