/// A 1×1 expansion conv and the depthwise conv that reads its output, run row by row — the first half of
/// MobileNetV2's inverted residual blocks (the hand landmark network's 112²×16 → 64 → depthwise 3×3).
///
/// The expanded rows are made a few at a time (``bandRows``) when the depthwise window reaches them, into a small
/// scratch that also keeps the rows the next windows still need, so the wide expanded tensor (112²×64: 3.2 MB) is
/// never written out and read back: at these sizes both kernels wait on memory rather than arithmetic. The
/// arithmetic is the two kernels' own (``Conv2D/runPointwise(_:pixels:output:)`` and the depthwise row sweeps), so
/// the output is the same as running them apart.
struct ExpandedDepthwiseConv2D: Kernel {
    let expand: Conv2D
    let depthwise: DepthwiseConv2D

    /// The fused pair, or nil unless `expand` is a 1×1 stride-1 conv off BLAS without a residual, it
    /// makes exactly `depthwise`'s input, `depthwise` runs on row sweeps, and the expanded tensor is too large to
    /// stay in L2 between the two anyway.
    init?(expand: Conv2D, depthwise: DepthwiseConv2D) {
        let e = expand.geometry, g = depthwise.geometry
        guard expand.isPointwise, !expand.usesBLAS, expand.residualChannels == 0, depthwise.zeroRow != nil,
              expand.outChannels == depthwise.channels,
              e.batch == g.batch, e.outHeight == g.inHeight, e.outWidth == g.inWidth,
              g.batch * g.inHeight * g.inWidth * depthwise.channels >= Self.minimumExpandedFloats
        else { return nil }
        self.expand = expand
        self.depthwise = depthwise
    }

    /// Expanded tensors of 512 KB and more (smaller ones stay in L2 between the two kernels).
    static var minimumExpandedFloats: Int { 1 << 17 }

    var label: String { "Expanded[" + expand.label + "] " + depthwise.label }

    /// The expanded rows a window can still reach: the last `kernelHeight - 1` of the previous band, then a band.
    var scratchCount: Int { (depthwise.geometry.kernelHeight - 1 + Self.bandRows) * rowFloats }

    /// Input rows expanded per GEMM call: a multiple of the GEMM's 6-row tiles whatever the width (a single
    /// row of 112 or 56 pixels would leave rows to its slow one-row path).
    static var bandRows: Int { 6 }

    private var rowFloats: Int { depthwise.geometry.inWidth * depthwise.channels }

    func fusing(_ activation: Activation) -> (any Kernel)? {
        guard let fused = depthwise.fusing(activation) as? DepthwiseConv2D else { return nil }
        return ExpandedDepthwiseConv2D(expand: expand, depthwise: fused)
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let g = depthwise.geometry
        let kh = g.kernelHeight, keep = kh - 1
        let inFloats = g.inWidth * expand.inChannels
        let zero = UnsafePointer(depthwise.zeroRow!.baseAddress)
        let activation = depthwise.activation.applier
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: kh) { window in
            for n in 0..<g.batch {
                let image = inputs[0] + n * g.inHeight * inFloats
                // Rows `first - keep ..< first + count` are expanded; row `iy` is at scratch row `iy - first + keep`.
                var first = 0
                var count = expandBand(image, from: 0, into: scratch + keep * rowFloats)
                for oy in 0..<g.outHeight {
                    let iy0 = oy * g.strideY - g.padTop
                    while min(iy0 + keep, g.inHeight - 1) >= first + count {
                        // The band's last `keep` rows go in front of the next band (a forward copy: never overlapping
                        // the wrong way).
                        copy(scratch, scratch + count * rowFloats, count: keep * rowFloats)
                        first += count
                        count = expandBand(image, from: first, into: scratch + keep * rowFloats)
                    }
                    for ky in 0..<kh {
                        let iy = iy0 + ky
                        window[ky] = iy >= 0 && iy < g.inHeight ? UnsafePointer(scratch + (iy - first + keep) * rowFloats) : zero
                    }
                    depthwise.outputRow(window: UnsafePointer(window.baseAddress!),
                                        into: output + (n * g.outHeight + oy) * g.outWidth * depthwise.channels,
                                        activation: activation)
                }
            }
        }
    }

    /// Expands input rows `from ..< from + bandRows` (fewer at the bottom) into consecutive rows at `rows`; returns
    /// how many.
    private func expandBand(_ image: UnsafePointer<Float>, from row: Int, into rows: UnsafeMutablePointer<Float>) -> Int {
        let g = depthwise.geometry
        let count = min(Self.bandRows, g.inHeight - row)
        expand.runPointwise(image + row * g.inWidth * expand.inChannels, pixels: count * g.inWidth, output: rows)
        return count
    }
}
