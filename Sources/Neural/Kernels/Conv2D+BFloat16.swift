import CBFloat16

/// How a network's convolutions multiply: fp32 throughout, or bf16 products with fp32 sums.
public enum Precision: String, Sendable, CaseIterable {
    case fp32, bf16
}

/// A convolution's weights for the bf16 path: bf16 products with fp32 sums through AVX512_BF16's `vdpbf16ps`
/// (32 multiply-adds per instruction where an fp32 FMA does 16). Each step of a tile takes a pair of consecutive
/// patch elements, so the panels (``GEMMPanels`` order) hold `[k/2 × width × 2]` bf16 weights, and the input is
/// rounded to bf16 once per run. Changed only by ``update(from:)``, between runs (hence `@unchecked Sendable`).
final class BFloat16Panels: @unchecked Sendable {
    /// Panel layout as ``GEMMPanels``: the panel at column `col` starts at element `col · k`.
    let weights: UnsafeMutablePointer<UInt16>
    /// Where patch-element pair `p` is, in pairs from a row's start (`columnOffsets[2p] / 2`).
    let pairOffsets: UnsafeMutablePointer<Int32>
    let pairs: Int
    private let k: Int, nPadded: Int
    private let staging: UnsafeMutablePointer<Float>

    /// Whether this CPU has the instruction.
    static let isSupported = facelive_has_avx512_bf16() != 0

    /// Rounds `count` floats to bf16 (nearest even).
    static func round(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<UInt16>, count: Int) {
        facelive_bf16_round(src, dst, count)
    }

    /// From fp32 panels `packed` (`k × nPadded`) and the patch elements' offsets (nil: dense rows, `i`).
    init(packed: UnsafePointer<Float>, k: Int, nPadded: Int, columnOffsets: [Int]?) {
        pairs = k / 2
        self.k = k
        self.nPadded = nPadded
        staging = .allocate(capacity: Self.stagingFloats)
        weights = .allocate(capacity: k * nPadded)
        pairOffsets = .allocate(capacity: max(1, pairs))
        for p in 0..<pairs { pairOffsets[p] = Int32((columnOffsets?[2 * p] ?? 2 * p) / 2) }
        update(from: packed)
    }

    /// Re-derives the bf16 weights from changed fp32 panels (training repacks every step; same shape). Pairs go
    /// through a small staging buffer, so nothing is allocated per call.
    func update(from packed: UnsafePointer<Float>) {
        GEMMPanels.forEach(nPadded: nPadded) { col, shape in update(col, shape, from: packed, staging: staging) }
    }

    /// ``update(from:)`` for the panel at column `col` only, through `staging` (``stagingFloats``; one per thread
    /// when panels are updated concurrently).
    func update(_ col: Int, _ shape: GEMMPanels.Shape, from packed: UnsafePointer<Float>,
                staging: UnsafeMutablePointer<Float>) {
        let k = self.k, pairs = self.pairs, block = Self.stagingPairs
        let w = shape.width, panel = packed + col * k, out = weights + col * k
        var p0 = 0
        while p0 < pairs {
            let count = min(block, pairs - p0)
            for p in p0..<(p0 + count) {
                let dst = staging + (p - p0) * w * 2
                for j in 0..<w {
                    dst[2 * j] = panel[2 * p * w + j]
                    dst[2 * j + 1] = panel[(2 * p + 1) * w + j]
                }
            }
            Self.round(staging, into: out + p0 * w * 2, count: count * w * 2)
            p0 += count
        }
    }

    /// Pairs of weights per staging block, for the widest (48-column) panel.
    private static let stagingPairs = 64
    /// Floats of one staging buffer.
    static var stagingFloats: Int { stagingPairs * 2 * GEMMPanels.Shape.three.width }

    deinit {
        staging.deallocate()
        weights.deallocate()
        pairOffsets.deallocate()
    }
}

extension Conv2D {
    /// This conv with bf16 products where the CPU and its shape allow it (an even number of input channels, output
    /// channels in whole 16-lane vectors, not OpenBLAS's), else itself.
    package func converting(to precision: Precision) -> Conv2D {
        #if FACELIVE_AVX512  // the bf16 tiles assume the 16-lane panel widths
        guard precision == .bf16, BFloat16Panels.isSupported, !usesBLAS, inChannels % 2 == 0, outChannels % 16 == 0,
              isGathered || isPointwise else { return self }
        var converted = self
        converted.bfloat16 = BFloat16Panels(packed: weights.baseAddress, k: patchSize, nPadded: packedColumns,
                                            columnOffsets: isGathered ? columnOffsets : nil)
        return converted
        #else
        return self
        #endif
    }

    /// Whether this conv multiplies in bf16 (``converting(to:)`` took).
    package var isBFloat16: Bool { bfloat16 != nil }

    /// Floats of scratch the bf16 copy of the (padded) input takes, after the fp32 scratch.
    var bfloat16ScratchCount: Int {
        guard bfloat16 != nil else { return 0 }
        let g = geometry
        let values = isGathered ? g.batch * paddedHeight * paddedWidth * inChannels : g.batch * g.inHeight * g.inWidth * inChannels
        return (values + 1) / 2
    }

    /// The bf16 input (the zero-padded copy, for gathered convs) the last bf16 run left in `scratch`: element `i` of
    /// output pixel `r`'s patch is at ``patchRowOffsets``[r] + ``patchColumnOffsets``[i]. A trainer's weight
    /// gradient reads its patches there instead of gathering and rounding them again.
    package func bfloat16Input(scratch: UnsafePointer<Float>) -> UnsafePointer<UInt16> {
        precondition(bfloat16 != nil && isGathered)
        return UnsafeRawPointer(scratch + scratchCount - bfloat16ScratchCount).assumingMemoryBound(to: UInt16.self)
    }

    /// Where each output pixel's window starts in the padded input (gathered convs).
    package var patchRowOffsets: [Int] { rowOffsets }
    /// Each patch element's offset from its window's start (gathered convs).
    package var patchColumnOffsets: [Int] { columnOffsets }

    /// The bf16 path of ``run(inputs:output:scratch:threads:)``: the input (padded copy) rounded to bf16, the
    /// blocked sweep of ``PackedGEMM`` with bf16 tiles, then residual and activation.
    func runBFloat16(_ panels: BFloat16Panels, inputs: UnsafeBufferPointer<UnsafePointer<Float>>,
                     output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int) {
        let g = geometry
        let pixels = g.batch * g.outHeight * g.outWidth
        let n = outChannels, rc = residualChannels
        let residual = rc > 0 ? inputs[1] : nil
        let halves = UnsafeMutableRawPointer(scratch + scratchCount - bfloat16ScratchCount).assumingMemoryBound(to: UInt16.self)
        if isGathered {
            padCopy(inputs[0], into: scratch, threads: threads)
            BFloat16Panels.round(scratch, into: halves, count: g.batch * paddedHeight * paddedWidth * inChannels)
        } else {
            BFloat16Panels.round(inputs[0], into: halves, count: g.batch * g.inHeight * g.inWidth * inChannels)
        }
        let pairsBase = UnsafeRawPointer(halves).assumingMemoryBound(to: UInt32.self)
        let weights = UnsafePointer(panels.weights), offsets = UnsafePointer(panels.pairOffsets)
        let bias = UnsafePointer(self.bias.baseAddress)
        let k = patchSize, activation = activation
        rowOffsets.withUnsafeBufferPointer { rowOffsets in
            let sweep = BlockedSweep(m: pixels, nPadded: n, depth: panels.pairs, depthBlock: PackedGEMM<DenseRows>.depthBlock / 2,
                                     rowBlock: 6, rowChunk: PackedGEMM<DenseRows>.rowChunk)
            sweep.run(threads: threads, tile: { shape, row, col, span in
                withUnsafeTemporaryAllocation(of: UnsafePointer<UInt32>?.self, capacity: 6) { rows in
                    withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>?.self, capacity: 6) { outs in
                        for i in 0..<6 {
                            let r = row + min(i, span.rows - 1)
                            rows[i] = pairsBase + (rowOffsets.isEmpty ? r * inChannels : rowOffsets[r]) / 2
                            outs[i] = output + r * n + col
                        }
                        let width = shape.width
                        facelive_bf16_tile(Int32(width / 16), rows.baseAddress, offsets + span.ks.lowerBound, span.ks.count,
                                           weights + col * k + span.ks.lowerBound * 2 * width, bias + col, outs.baseAddress,
                                           span.accumulates ? 1 : 0, Int32(span.rows))
                    }
                }
            }, epilogue: { row, rows in
                Epilogue(channels: n, bias: nil, activation: activation)
                    .apply(output + row * n, pixels: rows, residual: residual.map { $0 + row * rc }, residualChannels: rc)
            })
        }
    }
}

extension Graph {
    /// This graph with its convolutions in `precision` where the CPU and their shapes allow (see
    /// ``Conv2D/converting(to:)``); the rest stay as they are. fp32 returns the graph unchanged.
    public func converting(to precision: Precision) -> Graph {
        guard precision != .fp32 else { return self }
        let converted = nodes.map { node -> Node in
            guard case .kernel(let kernel) = node.operation, let conv = kernel as? Conv2D else { return node }
            var copy = node
            copy.operation = .kernel(conv.converting(to: precision))
            return copy
        }
        return Graph(planning: converted, shapes: shapes, names: names, inputs: inputs, outputs: outputs)
    }
}
