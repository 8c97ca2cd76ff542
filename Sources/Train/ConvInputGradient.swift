import Neural

/// dL/dInput of a stride-1 "same" convolution with an odd kernel, computed as a convolution of dL/dZ with the
/// kernel flipped and its channel axes swapped (`W'[ky][kx][co][ci] = W[kh−1−ky][kw−1−kx][ci][co]`).
///
/// This is the adjoint exactly (same padding on both sides), so it runs on the runtime's ``Conv2D`` — the packed
/// register-blocked GEMM with implicit im2col — instead of `dCols = dZ·Wᵀ` (a `P × K` matrix: 450 MB for the
/// `quality` decoder's 128² layers) followed by col2im.
struct ConvInputGradient {
    /// One batch slice's kernel, shared by the slices (it is stateless).
    private let kernel: Conv2D
    private let slices: Int
    private let threads: Int
    /// Floats of scratch one slice's kernel needs (padded copy or patches).
    private let scratchPerSlice: Int
    /// Floats of scratch ``run(outputGradient:into:scratch:)`` needs.
    var scratchCount: Int { scratchPerSlice * slices }

    /// Whether `geometry` is one this applies to: stride 1, odd square kernel, "same" padding.
    static func applies(to geometry: WindowGeometry) -> Bool {
        geometry.strideX == 1 && geometry.strideY == 1 && geometry.kernelHeight == geometry.kernelWidth
            && geometry.kernelHeight % 2 == 1 && geometry.outHeight == geometry.inHeight
            && geometry.outWidth == geometry.inWidth && geometry.padTop == geometry.kernelHeight / 2
            && geometry.padLeft == geometry.kernelWidth / 2
    }

    /// Like the forward pass, the batch is split over two threads unless the kernel is OpenBLAS's (threaded itself).
    /// `precision` bf16: bf16 products where ``Conv2D/converting(to:)`` allows the transposed shape.
    init(geometry: WindowGeometry, inChannels: Int, outChannels: Int, threads: Int, precision: Precision = .fp32) {
        precondition(Self.applies(to: geometry))
        let k = geometry.kernelHeight
        self.threads = threads
        let zeros = [Float](repeating: 0, count: k * k * inChannels * outChannels)
        func kernel(batch: Int) -> Conv2D {
            let transposed = WindowGeometry(input: [batch, geometry.outHeight, geometry.outWidth, outChannels],
                                            kernelHeight: k, kernelWidth: k, strideY: 1, strideX: 1, padding: .same)!
            return Conv2D(geometry: transposed, inChannels: outChannels, outChannels: inChannels, weights: zeros,
                          bias: nil, activation: .none)
        }
        let whole = kernel(batch: geometry.batch)
        slices = !whole.usesBLAS && threads > 1 && geometry.batch % 2 == 0 ? 2 : 1
        self.kernel = (slices == 1 ? whole : kernel(batch: geometry.batch / slices)).converting(to: precision)
        scratchPerSlice = self.kernel.scratchFloats
    }

    /// Repacks the kernels from the forward weights `[kh, kw, Cin, Cout]` (they change every step).
    func load(weights: UnsafePointer<Float>) {
        // Patch element (tap, co) of the transposed conv, output channel ci, is W[taps − 1 − tap][ci][co].
        kernel.packWeights(flippingTapsOf: weights, threads: threads)
    }

    /// `inputGradient = conv(outputGradient, W')`, batch slices in parallel.
    func run(outputGradient: UnsafePointer<Float>, into inputGradient: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        kernel.run(slices: slices, input: outputGradient, output: inputGradient, scratch: scratch,
                   scratchStride: scratchPerSlice, threads: threads)
    }
}
