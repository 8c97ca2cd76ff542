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

    /// Patch elements per pass of the blocked path: a `depthBlock × 48` strip of `B` (48 KB) stays in L1/L2 while
    /// every row block of a chunk passes over it, instead of the whole `k × 48` panel (3.5 MB for a 3×3 conv over
    /// 2048 channels) streaming from L3 once per row block.
    static var depthBlock: Int { 256 }
    /// Rows per chunk of the blocked path: the chunk's `A` rows for one depth block (144 × 256 floats) and its
    /// partial sums stay in L2 while every panel passes.
    static var rowChunk: Int { 144 }
    /// Multiply-adds from which a GEMM is worth splitting over threads (≈ 50 µs of work; a dispatch costs ~10 µs).
    static var parallelWork: Int { 1 << 22 }

    // Callers in other files are compiled separately in debug builds (no whole-module optimisation) and would get
    // the unspecialised generic body, whose SIMD tiles then go through protocol witnesses (~100× slower).
    /// Computes `C` on up to `threads` threads.
    @_specialize(where A == DenseRows)
    @_specialize(where A == GatheredRows)
    func run(threads: Int = 1) {
        let parallel = threads > 1 && m * nPadded * k >= Self.parallelWork
        if parallel || k * nPadded > Self.panelThreshold {
            runBlocked(threads: parallel ? threads : 1)
            return
        }
        let block = GEMMPanels.rowBlock(nPadded: nPadded)
        let fullRows = m - m % block
        let whole = TileSpan(ks: 0..<k, rows: block, height: block, accumulates: false)
        var row = 0
        while row < fullRows {
            GEMMPanels.forEach(nPadded: nPadded) { col, shape in tile(shape, row, col, whole) }
            epilogue(row, block)
            row += block
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

    /// Large or threaded GEMMs: the ``BlockedSweep`` over these tiles. A last partial row block computes copies of
    /// its last row and stores only the valid ones; the products per element are the unblocked tiles', in the same
    /// order, so the result is bit for bit the same.
    private func runBlocked(threads: Int) {
        let sweep = BlockedSweep(m: m, nPadded: nPadded, depth: k, depthBlock: Self.depthBlock,
                                 rowBlock: blockedRowBlock, rowChunk: Self.rowChunk)
        sweep.run(threads: threads, tile: { shape, row, col, span in tile(shape, row, col, span) },
                  epilogue: { row, rows in epilogue(row, rows) })
    }

    /// Rows per register tile of the blocked path: 7 where they divide the rows (every DeepFaceLab resolution,
    /// see PackedGEMM+SevenRows.swift), else as the unblocked path.
    private var blockedRowBlock: Int {
        #if FACELIVE_AVX512
        m % 7 == 0 ? 7 : GEMMPanels.rowBlock(nPadded: nPadded)
        #else
        GEMMPanels.rowBlock(nPadded: nPadded)
        #endif
    }

    @inline(__always)
    private func tile(_ shape: GEMMPanels.Shape, _ row: Int, _ col: Int, _ span: TileSpan) {
        #if FACELIVE_AVX512
        if span.height == 7 {
            switch shape {
            case .three: tile7x3(SIMD16<Float>.self, row, col, span)
            case .two: tile7x2(SIMD16<Float>.self, row, col, span)
            case .one: tile7x1(SIMD16<Float>.self, row, col, span)
            case .half: tile7x1(SIMD8<Float>.self, row, col, span)
            }
            return
        }
        // 32 zmm registers: 6 rows × 48 columns (18 accumulators) when the width allows, else 6 × 32 plus a
        // 16- and an 8-wide tail. Measured on Sapphire Rapids: 1.6–1.9× the 8-lane tiles' GFLOP/s.
        switch shape {
        case .three: tile6x3(SIMD16<Float>.self, row, col, span)
        case .two: tile6x2(SIMD16<Float>.self, row, col, span)
        case .one: tile6x1(SIMD16<Float>.self, row, col, span)
        case .half: tile6x1(SIMD8<Float>.self, row, col, span)
        }
        #else
        // Row blocks of 4 with 24-wide tiles when the width is a multiple of 24, else of 6 with 16-wide tiles:
        // 12 accumulators + the weight vectors + one broadcast fill the 16 ymm registers.
        switch shape {
        case .three: tile4x3(SIMD8<Float>.self, row, col, span)
        case .two: tile6x2(SIMD8<Float>.self, row, col, span)
        case .one, .half: tile6x1(SIMD8<Float>.self, row, col, span)
        }
        #endif
    }

    // Tiles `R×C`: R rows of C vectors (of `V.scalarCount` columns each), accumulated over `span.ks` in registers.
    // Spelled out per shape: LLVM keeps named accumulators in registers, not an array of them.

    @inline(__always)
    private func tile6x3<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span), c01 = initial(V.self, row, 0, col + w, span), c02 = initial(V.self, row, 0, col + 2 * w, span)
        var c10 = initial(V.self, row, 1, col, span), c11 = initial(V.self, row, 1, col + w, span), c12 = initial(V.self, row, 1, col + 2 * w, span)
        var c20 = initial(V.self, row, 2, col, span), c21 = initial(V.self, row, 2, col + w, span), c22 = initial(V.self, row, 2, col + 2 * w, span)
        var c30 = initial(V.self, row, 3, col, span), c31 = initial(V.self, row, 3, col + w, span), c32 = initial(V.self, row, 3, col + 2 * w, span)
        var c40 = initial(V.self, row, 4, col, span), c41 = initial(V.self, row, 4, col + w, span), c42 = initial(V.self, row, 4, col + 2 * w, span)
        var c50 = initial(V.self, row, 5, col, span), c51 = initial(V.self, row, 5, col + w, span), c52 = initial(V.self, row, 5, col + 2 * w, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span), a4 = rowPointer(row, 4, span), a5 = rowPointer(row, 5, span)
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
            pb += 3 * w
        }
        finish(c00, row, 0, col, span); finish(c01, row, 0, col + w, span); finish(c02, row, 0, col + 2 * w, span)
        finish(c10, row, 1, col, span); finish(c11, row, 1, col + w, span); finish(c12, row, 1, col + 2 * w, span)
        finish(c20, row, 2, col, span); finish(c21, row, 2, col + w, span); finish(c22, row, 2, col + 2 * w, span)
        finish(c30, row, 3, col, span); finish(c31, row, 3, col + w, span); finish(c32, row, 3, col + 2 * w, span)
        finish(c40, row, 4, col, span); finish(c41, row, 4, col + w, span); finish(c42, row, 4, col + 2 * w, span)
        finish(c50, row, 5, col, span); finish(c51, row, 5, col + w, span); finish(c52, row, 5, col + 2 * w, span)
    }

    @inline(__always)
    private func tile6x2<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span), c01 = initial(V.self, row, 0, col + w, span)
        var c10 = initial(V.self, row, 1, col, span), c11 = initial(V.self, row, 1, col + w, span)
        var c20 = initial(V.self, row, 2, col, span), c21 = initial(V.self, row, 2, col + w, span)
        var c30 = initial(V.self, row, 3, col, span), c31 = initial(V.self, row, 3, col + w, span)
        var c40 = initial(V.self, row, 4, col, span), c41 = initial(V.self, row, 4, col + w, span)
        var c50 = initial(V.self, row, 5, col, span), c51 = initial(V.self, row, 5, col + w, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span), a4 = rowPointer(row, 4, span), a5 = rowPointer(row, 5, span)
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
            pb += 2 * w
        }
        finish(c00, row, 0, col, span); finish(c01, row, 0, col + w, span)
        finish(c10, row, 1, col, span); finish(c11, row, 1, col + w, span)
        finish(c20, row, 2, col, span); finish(c21, row, 2, col + w, span)
        finish(c30, row, 3, col, span); finish(c31, row, 3, col + w, span)
        finish(c40, row, 4, col, span); finish(c41, row, 4, col + w, span)
        finish(c50, row, 5, col, span); finish(c51, row, 5, col + w, span)
    }

    @inline(__always)
    private func tile6x1<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span)
        var c10 = initial(V.self, row, 1, col, span)
        var c20 = initial(V.self, row, 2, col, span)
        var c30 = initial(V.self, row, 3, col, span)
        var c40 = initial(V.self, row, 4, col, span)
        var c50 = initial(V.self, row, 5, col, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span), a4 = rowPointer(row, 4, span), a5 = rowPointer(row, 5, span)
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
            pb += w
        }
        finish(c00, row, 0, col, span)
        finish(c10, row, 1, col, span)
        finish(c20, row, 2, col, span)
        finish(c30, row, 3, col, span)
        finish(c40, row, 4, col, span)
        finish(c50, row, 5, col, span)
    }

    @inline(__always)
    private func tile4x3<V: SIMD>(_: V.Type, _ row: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        let w = V.scalarCount
        var c00 = initial(V.self, row, 0, col, span), c01 = initial(V.self, row, 0, col + w, span), c02 = initial(V.self, row, 0, col + 2 * w, span)
        var c10 = initial(V.self, row, 1, col, span), c11 = initial(V.self, row, 1, col + w, span), c12 = initial(V.self, row, 1, col + 2 * w, span)
        var c20 = initial(V.self, row, 2, col, span), c21 = initial(V.self, row, 2, col + w, span), c22 = initial(V.self, row, 2, col + 2 * w, span)
        var c30 = initial(V.self, row, 3, col, span), c31 = initial(V.self, row, 3, col + w, span), c32 = initial(V.self, row, 3, col + 2 * w, span)
        let a0 = rowPointer(row, 0, span), a1 = rowPointer(row, 1, span), a2 = rowPointer(row, 2, span), a3 = rowPointer(row, 3, span)
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
            pb += 3 * w
        }
        finish(c00, row, 0, col, span); finish(c01, row, 0, col + w, span); finish(c02, row, 0, col + 2 * w, span)
        finish(c10, row, 1, col, span); finish(c11, row, 1, col + w, span); finish(c12, row, 1, col + 2 * w, span)
        finish(c20, row, 2, col, span); finish(c21, row, 2, col + w, span); finish(c22, row, 2, col + 2 * w, span)
        finish(c30, row, 3, col, span); finish(c31, row, 3, col + w, span); finish(c32, row, 3, col + 2 * w, span)
    }

    /// Row `i` of the tile at `row`; rows past `span.rows` repeat the last valid one (computed, never stored).
    @inline(__always)
    func rowPointer(_ row: Int, _ i: Int, _ span: TileSpan) -> UnsafePointer<Float> {
        a.row(row + min(i, span.rows - 1))
    }

    /// An accumulator's starting value: the bias, or what an earlier span of k left in C.
    @inline(__always)
    func initial<V: SIMD>(_: V.Type, _ row: Int, _ i: Int, _ col: Int, _ span: TileSpan) -> V where V.Scalar == Float {
        guard span.accumulates else { return V.load(bias + col) }
        let p = c + (row + min(i, span.rows - 1)) * n + col
        if col + V.scalarCount <= n { return V.load(p) }
        var v = V()
        for j in 0..<(n - col) { v[j] = p[j] }
        return v
    }

    /// Stores row `i` of the tile at `row` unless it lies past `span.rows`.
    @inline(__always)
    func finish<V: SIMD>(_ v: V, _ row: Int, _ i: Int, _ col: Int, _ span: TileSpan) where V.Scalar == Float {
        if i < span.rows { finish(v, row + i, col) }
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

/// The loop nest of the depth-blocked GEMMs (``PackedGEMM``'s fp32 tiles, the bf16 tiles of
/// ``Conv2D/converting(to:)``): chunks of rows; within each, the depth in blocks; within each, every panel over the
/// chunk's row blocks, partial sums kept in `C` between depth blocks. Threads split the columns when `B` is the
/// larger operand (each streams its own panels of weights once), else the rows.
struct BlockedSweep {
    let m: Int, nPadded: Int
    /// Steps of the reduction (patch elements, or pairs of them) and how many a block takes.
    let depth: Int, depthBlock: Int
    let rowBlock: Int, rowChunk: Int

    /// Calls `tile(shape, row, col, span)` for every tile and depth block, then `epilogue(row, rows)` over finished
    /// rows, on up to `threads` threads.
    func run(threads: Int, tile: (GEMMPanels.Shape, Int, Int, TileSpan) -> Void, epilogue: (Int, Int) -> Void) {
        let block = rowBlock
        let rowBlocks = (m + block - 1) / block
        var panels: [(col: Int, shape: GEMMPanels.Shape)] = []
        GEMMPanels.forEach(nPadded: nPadded) { col, shape in panels.append((col, shape)) }
        let splitsColumns = nPadded >= m
        let chunkBlocks = max(1, rowChunk / block)
        // Work items, claimed in turn by the threads: when `B` is the larger operand, single panels (each panel's
        // weights streamed once in all), else equal runs of row blocks of at most a chunk each (each streams its own
        // pass over `B`), a multiple of the thread count. A thread that starts late or is preempted (a shared
        // machine) leaves items to the others instead of making everyone wait, and unequal panel widths even out.
        let items: Int
        if threads <= 1 {
            items = 1
        } else if splitsColumns {
            items = panels.count
        } else {
            let chunks = (rowBlocks + chunkBlocks - 1) / chunkBlocks
            items = min(rowBlocks, (chunks + threads - 1) / threads * threads)
        }
        panels.withUnsafeBufferPointer { panels in
        Parallel.forEach(items) { item in
            let myPanels = splitsColumns && items > 1 ? item..<(item + 1) : 0..<panels.count
            let myBlocks = splitsColumns ? 0..<rowBlocks : Parallel.share(rowBlocks, item, of: items)
            var chunk = myBlocks.lowerBound
            while chunk < myBlocks.upperBound {
                let chunkEnd = min(myBlocks.upperBound, chunk + chunkBlocks)
                var d0 = 0
                while d0 < depth {
                    let ks = d0..<min(depth, d0 + depthBlock)
                    for index in myPanels {
                        let (col, shape) = panels[index]
                        for rowBlock in chunk..<chunkEnd {
                            let row = rowBlock * block
                            tile(shape, row, col, TileSpan(ks: ks, rows: min(block, m - row), height: block, accumulates: d0 > 0))
                        }
                    }
                    d0 = ks.upperBound
                }
                if !splitsColumns { epilogue(chunk * block, min(m, chunkEnd * block) - chunk * block) }
                chunk = chunkEnd
            }
        }
        }
        if splitsColumns {
            let rowParts = min(threads, rowBlocks)
            Parallel.forEach(rowParts) { part in
                let blocks = Parallel.share(rowBlocks, part, of: rowParts)
                epilogue(blocks.lowerBound * block, min(m, blocks.upperBound * block) - blocks.lowerBound * block)
            }
        }
    }
}

/// What one register tile covers: rows `row…row + rows − 1` of its block of `height` rows (rows past `rows` repeat
/// the last one and are not stored), patch elements `ks`, starting from the bias or, when `accumulates`, from what
/// `C` holds.
struct TileSpan {
    let ks: Range<Int>
    let rows: Int
    let height: Int
    let accumulates: Bool
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
        // 48-wide tiles as far as they go (18 accumulators), then the narrower tail: ~3 % faster than 32-wide tiles
        // throughout on the full-size DFM models (Zen 4), with the same products per column.
        while col + wide <= nPadded { body(col, .three); col += wide }
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
        forEach(nPadded: paddedColumns(n)) { col, shape in packPanel(col, shape, k: k, n: n, into: packed, value: value) }
    }

    /// The panel of the tile at column `col` (see ``pack(k:n:into:value:)``).
    @inline(__always)
    static func packPanel(_ col: Int, _ shape: Shape, k: Int, n: Int, into packed: UnsafeMutablePointer<Float>,
                          value: (Int, Int) -> Float) {
        let w = shape.width
        let panel = packed + col * k
        for i in 0..<k {
            for j in 0..<w { panel[i * w + j] = col + j < n ? value(i, col + j) : 0 }
        }
    }
}
