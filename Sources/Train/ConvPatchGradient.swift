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
    private let threads: Int
    private let scratchPerSlice: Int
    /// Floats of scratch ``run(outputGradient:into:scratch:)`` needs.
    var scratchCount: Int { scratchPerSlice * slices }

    init(batch: Int, pixelsPerSample: Int, patchSize: Int, outChannels: Int, threads: Int, precision: Precision) {
        self.threads = threads
        slices = threads > 1 && batch % 2 == 0 ? 2 : 1
        let geometry = WindowGeometry(input: [batch / slices, pixelsPerSample, 1, outChannels], kernelHeight: 1,
                                      kernelWidth: 1, strideY: 1, strideX: 1, padding: .same)!
        kernel = Conv2D(geometry: geometry, inChannels: outChannels, outChannels: patchSize,
                        weights: [Float](repeating: 0, count: patchSize * outChannels), bias: nil, activation: .none)
            .converting(to: precision)
        scratchPerSlice = max(1, kernel.scratchFloats)
    }

    /// Repacks the kernel from the forward weights `[K × Cout]` (they change every step).
    func load(weights: UnsafePointer<Float>) {
        // This kernel multiplies by `Wᵀ`: the forward weights `[K × Cout]` are its `[Cout' × K']` transpose.
        kernel.packWeights(columnMajor: weights, threads: threads)
    }

    /// `patchGradient = outputGradient · Wᵀ`, batch slices in parallel.
    func run(outputGradient: UnsafePointer<Float>, into patchGradient: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        kernel.run(slices: slices, input: outputGradient, output: patchGradient, scratch: scratch,
                   scratchStride: scratchPerSlice, threads: threads)
    }
}
