/// 2-D convolution, NHWC input, weights given OHWI, as a GEMM: `out[P×Cout] = patches[P×K] · W[K×Cout]`.
///
/// A 1×1 stride-1 conv multiplies the input directly; anything else first gathers patches (im2col) into scratch.
/// Most layers use ``PackedGEMM`` (epilogue fused); single-pixel ones OpenBLAS (``prefersBLAS``).
/// The epilogue adds the bias, optionally a residual (a following ADD fused in), then the activation.
package struct Conv2D: ActivationFusing {
    private(set) var geometry: WindowGeometry
    let inChannels: Int
    let outChannels: Int
    /// Columns of the packed weights: `outChannels` for BLAS, rounded up to 8 for ``PackedGEMM``.
    let packedColumns: Int
    /// Weights repacked to `K × packedColumns`, `K = kh·kw·Cin` in (ky, kx, ci) order — the im2col column order:
    /// row-major for BLAS, in ``GEMMPanels`` layout for ``PackedGEMM`` (see ``packWeights(_:)``).
    let weights: AlignedBuffer
    /// Bias zero-padded to `packedColumns`.
    package let bias: AlignedBuffer
    var activation: ActivationFunction
    /// Channels of the residual operand (second input) added before the activation; 0 for none.
    var residualChannels = 0
    /// Implicit im2col for k > 1 on the register-blocked path: where each output pixel's window starts in the
    /// zero-padded input copy (`paddedHeight × paddedWidth`), and each patch element's offset from there.
    private(set) var rowOffsets: [Int]
    private(set) var columnOffsets: [Int]
    let paddedHeight: Int, paddedWidth: Int
    /// The weights for bf16 products (``converting(to:)``), or nil: fp32.
    var bfloat16: BFloat16Panels?

    /// Whether OpenBLAS should run a conv of this shape: a single output pixel (a matrix-vector product over large
    /// weights, e.g. FaceMesh's heads: `sgemv` streams them once); otherwise ``PackedGEMM`` wins (measured: 6×6
    /// 96→384 was 3× faster than `sgemm`; with its depth blocking also the 7×7 3×3 2048→2048 layers of full-size
    /// DFM models, 111 vs 152 ms).
    static func prefersBLAS(pixels: Int, outChannels: Int) -> Bool {
        pixels == 1 && outChannels > 128
    }

    /// `weights` in TFLite's OHWI layout `[Cout][kh][kw][Cin]`.
    package init(geometry: WindowGeometry, inChannels: Int, outChannels: Int, weights: [Float], bias: [Float]?, activation: Activation) {
        self.geometry = geometry
        self.inChannels = inChannels
        self.outChannels = outChannels
        let k = geometry.kernelHeight * geometry.kernelWidth * inChannels
        precondition(weights.count == k * outChannels)
        let blas = Self.prefersBLAS(pixels: geometry.batch * geometry.outHeight * geometry.outWidth, outChannels: outChannels)
        packedColumns = blas ? outChannels : GEMMPanels.paddedColumns(outChannels)
        self.weights = AlignedBuffer(count: k * packedColumns)
        usesBLAS = blas
        self.bias = ActivationFunction.padded(bias ?? [Float](repeating: 0, count: outChannels))
        self.activation = ActivationFunction(activation, channels: outChannels)
        let g = geometry
        paddedHeight = (g.outHeight - 1) * g.strideY + g.kernelHeight
        paddedWidth = (g.outWidth - 1) * g.strideX + g.kernelWidth
        let gathered = !(g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideX == 1 && g.strideY == 1)
            && !blas
        var columns: [Int] = []
        if gathered {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    for ci in 0..<inChannels { columns.append((ky * paddedWidth + kx) * inChannels + ci) }
                }
            }
        }
        rowOffsets = []
        columnOffsets = columns
        if gathered { rowOffsets = windowCorners() }
        weights.withUnsafeBufferPointer { w in packWeights { i, o in w[o * k + i] } }
    }

    /// Where each output pixel's window starts in the zero-padded input copy (``rowOffsets``).
    private func windowCorners() -> [Int] {
        let g = geometry
        var rows: [Int] = []
        rows.reserveCapacity(g.batch * g.outHeight * g.outWidth)
        for n in 0..<g.batch {
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    rows.append(((n * paddedHeight + oy * g.strideY) * paddedWidth + ox * g.strideX) * inChannels)
                }
            }
        }
        return rows
    }

    /// This conv over a batch of `batch` images, sharing its packed weights (and bf16 panels): one GEMM whose rows
    /// are every image's pixels streams the weights once for all of them.
    package func batched(_ batch: Int) -> Conv2D {
        precondition(batch >= 1 && residualChannels == 0)
        var copy = self
        copy.geometry.batch = batch
        if isGathered { copy.rowOffsets = copy.windowCorners() }
        return copy
    }

    /// Stores the weights `value(i, o)` (patch element `i`, output channel `o`) in ``weights``'s layout, and
    /// re-derives the bf16 panels from them when the conv has some.
    package func packWeights(_ value: (Int, Int) -> Float) {
        let k = patchSize
        if usesBLAS {
            for i in 0..<k {
                for o in 0..<outChannels { weights.baseAddress[i * outChannels + o] = value(i, o) }
            }
        } else {
            GEMMPanels.pack(k: k, n: outChannels, into: weights.baseAddress, value: value)
        }
        bfloat16?.update(from: weights.baseAddress)
    }

    /// ``packWeights(_:)`` from row-major `[K × Cout]` weights, specialised here (a closure from another module
    /// costs a call per weight; trainers repack every step), the panels split over up to `threads` threads.
    package func packWeights(rowMajor w: UnsafePointer<Float>, threads: Int = 1) {
        packWeights(threads: threads, RowMajorWeights(w: w, n: outChannels))
    }

    /// ``packWeights(rowMajor:threads:)`` from the transposed matrix, `[Cout × K]` row-major.
    package func packWeights(columnMajor w: UnsafePointer<Float>, threads: Int = 1) {
        packWeights(threads: threads, ColumnMajorWeights(w: w, k: patchSize))
    }

    /// ``packWeights(rowMajor:threads:)`` from a convolution's weights `[kh, kw, Cout, Cin]`, i.e. this conv's with
    /// its taps reversed and its channel axes swapped (`value(tap·Cin + c, o) = w[((taps − 1 − tap)·Cout + o)·Cin +
    /// c]`): the transposed convolution that computes a stride-1 layer's input gradient, packed without a
    /// transposed copy.
    package func packWeights(flippingTapsOf w: UnsafePointer<Float>, threads: Int = 1) {
        packWeights(threads: threads, FlippedTapWeights(w: w, taps: geometry.kernelHeight * geometry.kernelWidth,
                                                        inChannels: inChannels, outChannels: outChannels))
    }

    /// ``packWeights(_:)`` from `source`, the panels (and their bf16 copies) split over up to `threads` threads. A
    /// concrete source type rather than a closure: the closure would be called through a thunk per weight once it
    /// crosses the dispatch.
    @inline(__always)
    private func packWeights<Source: WeightSource>(threads: Int, _ source: Source) {
        guard !usesBLAS else {
            packWeights { i, o in source.value(i, o) }
            return
        }
        let k = patchSize, n = outChannels, packed = weights.baseAddress
        guard threads > 1, k * packedColumns >= Self.parallelPackFloats else {
            GEMMPanels.forEach(nPadded: packedColumns) { col, shape in
                Self.packPanel(col, shape, k: k, n: n, into: packed, source)
            }
            bfloat16?.update(from: packed)
            return
        }
        // Panels counted, then enumerated again in each part (no list: training repacks every step).
        var panelCount = 0
        GEMMPanels.forEach(nPadded: packedColumns) { _, _ in panelCount += 1 }
        let parts = min(threads, panelCount)
        Parallel.forEach(parts) { part in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: BFloat16Panels.stagingFloats) { staging in
                let mine = Parallel.share(panelCount, part, of: parts)
                var index = 0
                GEMMPanels.forEach(nPadded: packedColumns) { col, shape in
                    defer { index += 1 }
                    guard mine.contains(index) else { return }
                    Self.packPanel(col, shape, k: k, n: n, into: packed, source)
                    bfloat16?.update(col, shape, from: packed, staging: staging.baseAddress!)
                }
            }
        }
    }

    /// ``GEMMPanels/packPanel(_:_:k:n:into:value:)`` (the same values) a panel row at a time from `source`.
    @inline(__always)
    private static func packPanel<Source: WeightSource>(_ col: Int, _ shape: GEMMPanels.Shape, k: Int, n: Int,
                                                        into packed: UnsafeMutablePointer<Float>, _ source: Source) {
        let w = shape.width, inside = max(0, min(w, n - col))
        let panel = packed + col * k
        for i in 0..<k {
            let row = panel + i * w
            source.copy(row: i, from: col, count: inside, into: row)
            if inside < w { (row + inside).update(repeating: 0, count: w - inside) }
        }
    }

    /// Packed weights from which repacking is split over threads (≈ 50 µs of work).
    static var parallelPackFloats: Int { 1 << 15 }

    var label: String {
        "Conv2D \(geometry.label) \(inChannels)→\(outChannels)" + (residualChannels > 0 ? " +res\(residualChannels)" : "")
            + activation.applier.label + (usesBLAS ? " BLAS" : isGathered ? " gathered" : "")
    }
    package let usesBLAS: Bool
    var patchSize: Int { geometry.kernelHeight * geometry.kernelWidth * inChannels }
    package var isPointwise: Bool {
        geometry.kernelHeight == 1 && geometry.kernelWidth == 1 && geometry.strideX == 1 && geometry.strideY == 1
    }
    var isGathered: Bool { !rowOffsets.isEmpty }
    var scratchCount: Int { gemmScratchCount + bfloat16ScratchCount }
    /// Floats of scratch ``run(inputs:output:scratch:threads:)`` needs.
    package var scratchFloats: Int { scratchCount }
    /// Floats of scratch the fp32 path needs: the padded input copy or the patches.
    var gemmScratchCount: Int {
        if isPointwise { return 0 }
        if isGathered { return geometry.batch * paddedHeight * paddedWidth * inChannels }
        return geometry.batch * geometry.outHeight * geometry.outWidth * patchSize
    }

    /// This conv gathering its patches into scratch explicitly (im2col) instead of indexing a padded copy:
    /// training reads them back for the weight gradient.
    package func materializingPatches() -> Conv2D {
        var explicit = self
        explicit.rowOffsets = []
        explicit.columnOffsets = []
        explicit.bfloat16 = nil
        return explicit
    }

    /// A copy with `activation` applied to its output (what the graph compiler's fusing does), for layers built
    /// outside a graph such as the trainer's.
    package func fusingActivation(_ activation: Activation) -> Conv2D {
        fusing(activation) as! Conv2D
    }

    /// This conv with a residual of `channels` (≤ output channels) added in its epilogue, or nil.
    package func fusingResidual(channels: Int) -> Conv2D? {
        guard activation.isIdentity, residualChannels == 0, channels <= outChannels else { return nil }
        var fused = self
        fused.residualChannels = channels
        return fused
    }

    var outputChannels: Int { outChannels }

    package func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        run(inputs: inputs, output: output, scratch: scratch, threads: NeuralRuntime.threadCount)
    }

    /// ``run(inputs:output:scratch:)`` with the packed GEMM on up to `threads` threads (callers that split the
    /// batch over threads themselves pass 1).
    package func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>,
                     scratch: UnsafeMutablePointer<Float>, threads: Int) {
        if let bfloat16 {
            runBFloat16(bfloat16, inputs: inputs, output: output, scratch: scratch, threads: threads)
            return
        }
        let g = geometry
        let pixels = g.batch * g.outHeight * g.outWidth
        let residual = residualChannels > 0 ? inputs[1] : nil
        if isGathered {
            padCopy(inputs[0], into: scratch, threads: threads)
            rowOffsets.withUnsafeBufferPointer { rows in
                columnOffsets.withUnsafeBufferPointer { columns in
                    let a = GatheredRows(base: scratch, rowOffsets: rows.baseAddress!, columnOffsets: columns.baseAddress!)
                    gemm(a, pixels: pixels, residual: residual, output: output, threads: threads)
                }
            }
            return
        }
        if isPointwise && residual == nil && !usesBLAS {
            runPointwise(inputs[0], pixels: pixels, output: output)  // PointwiseConv2D.swift
            return
        }
        let a: UnsafePointer<Float>
        if isPointwise {
            a = inputs[0]
        } else {
            im2col(inputs[0], into: scratch)
            a = UnsafePointer(scratch)
        }
        if usesBLAS && pixels == 1 {
            BLAS.sgemvRow(n: outChannels, k: patchSize, x: a, b: weights.baseAddress, y: output)
            Epilogue(channels: outChannels, bias: bias, activation: activation)
                .apply(output, pixels: pixels, residual: residual, residualChannels: residualChannels)
        } else if usesBLAS {
            BLAS.sgemm(m: pixels, n: outChannels, k: patchSize, a: a, lda: patchSize,
                       b: weights.baseAddress, ldb: outChannels, c: output, ldc: outChannels)
            Epilogue(channels: outChannels, bias: bias, activation: activation)
                .apply(output, pixels: pixels, residual: residual, residualChannels: residualChannels)
        } else {
            gemm(DenseRows(base: a, stride: patchSize), pixels: pixels, residual: residual, output: output, threads: threads)
        }
    }

    private func gemm<A: GEMMRows>(_ a: A, pixels: Int, residual: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
                                   threads: Int) {
        PackedGEMM(m: pixels, n: outChannels, k: patchSize, a: a,
                   b: weights.baseAddress, nPadded: packedColumns, bias: bias.baseAddress,
                   residual: residual, residualChannels: residualChannels,
                   activation: activation.applier, c: output).run(threads: threads)
    }

    /// Copies the input into the zero-padded `paddedHeight × paddedWidth` frame the gathered rows index, each
    /// element written once, split over up to `threads` threads when large.
    func padCopy(_ input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>, threads: Int) {
        let g = geometry
        let cin = inChannels
        let rows = min(g.inHeight, paddedHeight - g.padTop), cols = min(g.inWidth, paddedWidth - g.padLeft)
        let rowFloats = paddedWidth * cin, left = g.padLeft * cin, right = rowFloats - (g.padLeft + cols) * cin
        let total = g.batch * paddedHeight
        let parts = total * rowFloats >= Self.parallelCopyFloats ? min(threads, total) : 1
        Parallel.forEach(parts) { part in
            for r in Parallel.share(total, part, of: parts) {
                let n = r / paddedHeight, y = r % paddedHeight - g.padTop
                let dst = padded + r * rowFloats
                guard y >= 0 && y < rows else {
                    fill(dst, count: rowFloats)
                    continue
                }
                fill(dst, count: left)
                copy(dst + left, input + (n * g.inHeight + y) * g.inWidth * cin, count: cols * cin)
                fill(dst + rowFloats - right, count: right)
            }
        }
    }

    /// Floats from which copies split over threads (256 KB: a dispatch costs ~10 µs, the copy ~25 µs).
    static var parallelCopyFloats: Int { 1 << 16 }

    /// Gathers each output pixel's receptive field into one row; zero where the window hangs over the border.
    /// In NHWC a run of valid kernel columns is one contiguous span, so each (pixel, kernel row) is one copy.
    private func im2col(_ input: UnsafePointer<Float>, into patches: UnsafeMutablePointer<Float>) {
        let g = geometry
        let cin = inChannels
        let span = g.kernelWidth * cin
        let rowFloats = g.inWidth * cin
        // Output columns whose window lies fully inside the row take a branch-free copy of each kernel row.
        let firstInterior = (g.padLeft + g.strideX - 1) / g.strideX
        let lastInterior = (g.inWidth - g.kernelWidth + g.padLeft) / g.strideX
        var dst = patches
        for n in 0..<g.batch {
            let image = input + n * g.inHeight * rowFloats
            for oy in 0..<g.outHeight {
                let iy0 = oy * g.strideY - g.padTop
                let rowsInside = iy0 >= 0 && iy0 + g.kernelHeight <= g.inHeight
                for ox in 0..<g.outWidth {
                    let ix0 = ox * g.strideX - g.padLeft
                    if rowsInside && ox >= firstInterior && ox <= lastInterior {
                        var src = image + iy0 * rowFloats + ix0 * cin
                        for _ in 0..<g.kernelHeight {
                            copy(dst, src, count: span)
                            dst += span
                            src += rowFloats
                        }
                        continue
                    }
                    let cols = g.kernelCols(ox)
                    for ky in 0..<g.kernelHeight {
                        let iy = iy0 + ky
                        if iy < 0 || iy >= g.inHeight || cols.isEmpty {
                            fill(dst, count: span)
                        } else {
                            fill(dst, count: cols.lowerBound * cin)
                            copy(dst + cols.lowerBound * cin, image + (iy * g.inWidth + ix0 + cols.lowerBound) * cin,
                                 count: cols.count * cin)
                            fill(dst + cols.upperBound * cin, count: (g.kernelWidth - cols.upperBound) * cin)
                        }
                        dst += span
                    }
                }
            }
        }
    }
}

/// Copies `count` floats; inline, because the spans im2col moves are short (a few to a few hundred floats) and a
/// `memmove` call per span costs more than the copy.
@inline(__always)
func copy(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count { SIMD8<Float>.load(src + i).store(to: dst + i); i += 8 }
    while i < count { dst[i] = src[i]; i += 1 }
}

/// Zeroes `count` floats (see ``copy(_:_:count:)``).
@inline(__always)
func fill(_ dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count { SIMD8<Float>().store(to: dst + i); i += 8 }
    while i < count { dst[i] = 0; i += 1 }
}
