import Neural

/// dL/dPatches `= dZ · Wᵀ` (`[P × K]`) of a convolution that ``ConvInputGradient`` does not take (the strided
/// encoder layers), as a 1×1 convolution of dL/dZ (`Cout` inputs, `K` outputs) on the runtime's packed kernels, batch
/// halves on two threads and bf16 products where the precision and shape allow. col2im then adds the patch rows back
/// onto the input. This was OpenBLAS's `sgemm`, whose idle threads spin on `sched_yield` between calls and take
/// cycles from the threads running the next layer.
struct ConvPatchGradient {
    /// One batch slice's kernel, shared by the slices (it is stateless).
    private let kernel: Conv2D
    private let slices: Int
    /// Output pixels of one slice.
    private let sliceRows: Int
    private let patchSize: Int, outChannels: Int
    private let threads: Int
    private let scratchPerSlice: Int
    /// `Wᵀ` (`[Cout × K]`), refilled from the forward weights every step.
    private let transposed: AlignedBuffer
    /// Floats of scratch ``run(outputGradient:into:scratch:)`` needs.
    var scratchCount: Int { scratchPerSlice * slices }

    init(batch: Int, pixelsPerSample: Int, patchSize: Int, outChannels: Int, threads: Int, precision: Precision) {
        self.patchSize = patchSize
        self.outChannels = outChannels
        self.threads = threads
        slices = threads > 1 && batch % 2 == 0 ? 2 : 1
        sliceRows = batch / slices * pixelsPerSample
        let geometry = WindowGeometry(input: [batch / slices, pixelsPerSample, 1, outChannels], kernelHeight: 1,
                                      kernelWidth: 1, strideY: 1, strideX: 1, padding: .same)!
        kernel = Conv2D(geometry: geometry, inChannels: outChannels, outChannels: patchSize,
                        weights: [Float](repeating: 0, count: patchSize * outChannels), bias: nil, activation: .none)
            .converting(to: precision)
        scratchPerSlice = max(1, kernel.scratchFloats)
        transposed = AlignedBuffer(count: patchSize * outChannels)
    }

    /// Repacks the kernel from the forward weights `[K × Cout]` (they change every step).
    func load(weights: UnsafePointer<Float>) {
        let k = patchSize, cout = outChannels, t = transposed.baseAddress
        for i in 0..<k {
            for co in 0..<cout { t[co * k + i] = weights[i * cout + co] }
        }
        kernel.packWeights(rowMajor: t)
    }

    /// `patchGradient = outputGradient · Wᵀ`, batch slices in parallel.
    func run(outputGradient: UnsafePointer<Float>, into patchGradient: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        let inStride = sliceRows * outChannels, outStride = sliceRows * patchSize
        forEachSlice(slices, threads: threads) { s in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 1) { operands in
                operands[0] = outputGradient + s * inStride
                kernel.run(inputs: UnsafeBufferPointer(operands), output: patchGradient + s * outStride,
                           scratch: scratch + s * scratchPerSlice, threads: slices > 1 ? 1 : threads)
            }
        }
    }
}
