import Neural
/// A trainable 2-D convolution (NHWC, TensorFlow "same" padding) with a fused activation and optional residual.
///
/// The forward pass is the inference runtime's ``Conv2D`` (im2col + GEMM + epilogue); the patches it gathers into
/// scratch are kept for the weight gradient. Backward: `dW += colsᵀ·dZ`; dL/dInput as a convolution (stride 1) or
/// `dCols = dZ·Wᵀ` on the packed kernels (``ConvPatchGradient``) then col2im.
/// Weights are `[kh, kw, Cin, Cout]`, i.e. `[K × Cout]` in im2col's (ky, kx, ci) row order.
final class ConvLayer: Module {
    let weight: Parameter
    let bias: Parameter
    let activation: LayerActivation
    let geometry: WindowGeometry
    let inChannels: Int, outChannels: Int
    let batch: Int
    /// The runtime kernel for one batch slice: the register-blocked GEMM of thin layers runs a slice per thread
    /// (the kernel is stateless, so all slices share it and its weights are packed once per pass); wide layers
    /// run as one OpenBLAS call.
    private let kernel: Conv2D
    private let slices: Int
    private let sliceBatch: Int
    private let threads: Int
    private let output: AlignedBuffer
    /// fp32: the im2col patches `[P × K]` the forward pass gathers (empty for 1×1 convolutions, whose patches are the
    /// input itself). bf16: the forward kernel's scratch per slice, kept for the weight gradient, which reads its
    /// patches from the rounded padded input there (``gatheredPatches``).
    private let patches: AlignedBuffer
    /// The bf16 weight gradient's view of the rounded input in ``patches`` (bf16 gathered convolutions).
    private let gatheredPatches: GatheredBFloat16Patches?
    /// Where `dCols` goes before col2im (shared; nil for 1×1 convolutions or without input gradients).
    private let patchGradient: SharedScratch?
    private let scratch: SharedScratch
    private let inputGradient: AlignedBuffer?
    /// dL/dInput as a convolution of dL/dZ (stride-1 layers); nil: `dZ·Wᵀ` and col2im.
    private let inputGradientConv: ConvInputGradient?
    /// `dCols = dZ·Wᵀ` before col2im (the other layers with input gradients: strided ones).
    private let patchGradientKernel: ConvPatchGradient?
    private var savedInput: UnsafePointer<Float>?
    private var savedResidual: UnsafePointer<Float>?
    let hasResidual: Bool
    /// Training changes the weights every step, so they are repacked every pass; inference packs them once.
    private let repacksEveryPass: Bool
    private var packed = false
    /// `precision` bf16 on a CPU with the bf16 tiles: the weight gradient's products in bf16 too (every layer: its
    /// shape constraints are the forward GEMM's, not this one's).
    private let weightGradientInBFloat16: Bool

    /// `inputGradient: false` for a network's first layer (no one needs dL/dImage).
    init(name: String, height: Int, width: Int, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1,
         activation: LayerActivation, residual: Bool = false, inputGradient: Bool = true, context: ModuleContext) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.activation = activation
        repacksEveryPass = context.training
        self.hasResidual = residual
        batch = context.batch
        threads = context.threads
        weight = Parameter(name: name + ".weight", shape: [kernel, kernel, inChannels, outChannels])
        bias = Parameter(name: name + ".bias", shape: [outChannels])
        geometry = WindowGeometry(input: [batch, height, width, inChannels], kernelHeight: kernel, kernelWidth: kernel,
                                  strideY: stride, strideX: stride, padding: .same)!
        let k = kernel * kernel * inChannels
        let probe = Conv2D(geometry: geometry, inChannels: inChannels, outChannels: outChannels,
                           weights: [Float](repeating: 0, count: k * outChannels), bias: nil, activation: activation.runtime)
        slices = !probe.usesBLAS && threads > 1 && batch % 2 == 0 ? 2 : 1
        sliceBatch = batch / slices
        var sliceGeometry = geometry
        sliceGeometry.batch = sliceBatch
        var conv = Conv2D(geometry: sliceGeometry, inChannels: inChannels, outChannels: outChannels,
                          weights: [Float](repeating: 0, count: k * outChannels), bias: nil, activation: .none)
        // The runtime fuses a residual only before an activation is attached.
        if residual { conv = conv.fusingResidual(channels: outChannels)! }
        if activation != .identity { conv = conv.fusingActivation(activation.runtime) }
        if context.training {
            // The weight gradient needs the im2col patches: fp32 gathers them during the forward GEMM; the bf16
            // GEMM multiplies from a rounded padded copy, which the weight gradient reads them from.
            let converted = conv.converting(to: context.precision)
            conv = converted.isBFloat16 ? converted : conv.materializingPatches()
        }
        self.kernel = conv
        weightGradientInBFloat16 = context.training && context.precision == .bf16 && WeightGradientGEMM.supportsBFloat16
        let pixels = batch * geometry.outHeight * geometry.outWidth
        output = AlignedBuffer(count: pixels * outChannels)
        patches = AlignedBuffer(count: self.kernel.isBFloat16 ? slices * self.kernel.scratchFloats
                                    : self.kernel.isPointwise ? 0 : pixels * k)
        // (A bf16 kernel implies the bf16 weight-gradient tiles: both need AVX512_BF16.)
        gatheredPatches = self.kernel.isBFloat16 && !self.kernel.isPointwise
            ? GatheredBFloat16Patches(kernel: self.kernel, scratch: patches.baseAddress, stride: self.kernel.scratchFloats)
            : nil
        let needsInputGradient = context.training && inputGradient
        inputGradientConv = needsInputGradient && ConvInputGradient.applies(to: geometry)
            ? ConvInputGradient(geometry: geometry, inChannels: inChannels, outChannels: outChannels, threads: threads,
                                precision: context.precision)
            : nil
        patchGradient = needsInputGradient && inputGradientConv == nil && !self.kernel.isPointwise ? context.scratch : nil
        patchGradientKernel = patchGradient == nil ? nil
            : ConvPatchGradient(batch: batch, pixelsPerSample: geometry.outHeight * geometry.outWidth, patchSize: k,
                                outChannels: outChannels, threads: threads, precision: context.precision)
        scratch = context.scratch
        self.inputGradient = needsInputGradient ? AlignedBuffer(count: batch * height * width * inChannels) : nil
    }

    func initialize(random: inout RandomSource) {
        let area = geometry.kernelHeight * geometry.kernelWidth
        weight.initializeGlorot(fanIn: area * inChannels, fanOut: area * outChannels, random: &random)
    }

    var parameters: [Parameter] { [weight, bias] }
    /// Whether the forward pass multiplies in bf16 (`precision` bf16 and a shape the bf16 tiles take).
    var multipliesInBFloat16: Bool { kernel.isBFloat16 }
    var inputCount: Int { geometry.inHeight * geometry.inWidth * inChannels }
    var outputCount: Int { geometry.outHeight * geometry.outWidth * outChannels }
    var outputPixelsPerSample: Int { geometry.outHeight * geometry.outWidth }
    var patchSize: Int { geometry.kernelHeight * geometry.kernelWidth * inChannels }
    var flopsPerSample: Int { 2 * outputPixelsPerSample * patchSize * outChannels }

    func forward(_ input: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> { forward(input, residual: nil) }

    /// The convolution of `input`, plus `residual` (same shape as the output) before the activation.
    func forward(_ input: UnsafePointer<Float>, residual: UnsafePointer<Float>?) -> UnsafeMutablePointer<Float> {
        precondition(hasResidual == (residual != nil), "residual operand mismatch")
        if repacksEveryPass || !packed {
            loadWeightsIntoKernels()
            packed = true
        }
        savedInput = input
        savedResidual = residual
        // The bf16 kernel leaves its padded, rounded input in its scratch, the fp32 one the patches: both for the
        // weight gradient.
        let scratchStride = kernel.isBFloat16 ? kernel.scratchFloats : sliceBatch * outputPixelsPerSample * patchSize
        kernel.run(slices: slices, input: input, residual: residual, output: output.baseAddress,
                   scratch: patches.baseAddress, scratchStride: scratchStride, threads: threads)
        return output.baseAddress
    }

    /// Copies `[K × Cout]` weights and bias into the kernel's packed storage.
    private func loadWeightsIntoKernels() {
        kernel.packWeights(rowMajor: weight.value.baseAddress, threads: threads)
        kernel.bias.baseAddress.update(from: bias.value.baseAddress, count: outChannels)
    }

    func backward(_ outputGradient: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
        let pixels = batch * outputPixelsPerSample
        let k = patchSize, cout = outChannels
        // dZ = dY · f'(Z), computed from the output (both activations are monotonic), and the bias gradient.
        activation.backward(output: output.baseAddress, gradient: outputGradient, rows: pixels, columns: cout,
                            summingInto: bias.gradient.baseAddress, threads: threads)
        let cols = kernel.isPointwise ? savedInput! : UnsafePointer(patches.baseAddress)
        #if FACELIVE_AVX512
        WeightGradientGEMM.accumulate(
            gatheredPatches.map { .gathered($0) } ?? .rows(cols, lda: k), dz: outputGradient, pixels: pixels, k: k,
            outChannels: cout, into: weight.gradient.baseAddress, threads: threads, bfloat16: weightGradientInBFloat16,
            scratch: scratch.floats(WeightGradientGEMM.scratchCount(k: k, outChannels: cout, threads: threads)))
        #else
        BLAS.gemm(transposeA: true, m: k, n: cout, k: pixels, a: cols, lda: k,
                  b: outputGradient, ldb: cout, beta: 1, c: weight.gradient.baseAddress, ldc: cout)
        #endif
        guard let inputGradient else { return nil }
        if let inputGradientConv {
            inputGradientConv.load(weights: weight.value.baseAddress)
            inputGradientConv.run(outputGradient: outputGradient, into: inputGradient.baseAddress,
                                  scratch: scratch.floats(inputGradientConv.scratchCount))
            return inputGradient.baseAddress
        }
        if let patchGradientKernel, let patchGradient {
            let target = patchGradient.floats(pixels * k + patchGradientKernel.scratchCount)
            patchGradientKernel.load(weights: weight.value.baseAddress)
            patchGradientKernel.run(outputGradient: outputGradient, into: target, scratch: target + pixels * k)
            col2im(target, into: inputGradient.baseAddress)
            return inputGradient.baseAddress
        }
        BLAS.gemm(transposeB: true, m: pixels, n: k, k: cout, a: outputGradient, lda: cout,
                  b: weight.value.baseAddress, ldb: cout, beta: 0, c: inputGradient.baseAddress, ldc: k)
        return inputGradient.baseAddress
    }

    /// The adjoint of im2col: adds every patch row back onto the input positions it was gathered from.
    private func col2im(_ patches: UnsafePointer<Float>, into image: UnsafeMutablePointer<Float>) {
        let g = geometry, cin = inChannels
        let rowSpan = g.kernelWidth * cin
        let samplePatches = g.outHeight * g.outWidth * g.kernelHeight * rowSpan
        let sampleImage = g.inHeight * g.inWidth * cin
        let slices = min(threads, batch)
        forEachSlice(slices, threads: threads) { s in
            for n in stride(from: s, to: g.batch, by: slices) {
                let img = image + n * sampleImage
                img.update(repeating: 0, count: sampleImage)
                var src = patches + n * samplePatches
                for oy in 0..<g.outHeight {
                    let iy0 = oy * g.strideY - g.padTop
                    for ox in 0..<g.outWidth {
                        let ix0 = ox * g.strideX - g.padLeft
                        let cols = g.kernelCols(ox)
                        for ky in 0..<g.kernelHeight {
                            let iy = iy0 + ky
                            if iy >= 0 && iy < g.inHeight && !cols.isEmpty {
                                accumulate(img + (iy * g.inWidth + ix0 + cols.lowerBound) * cin,
                                           src + cols.lowerBound * cin, count: cols.count * cin)
                            }
                            src += rowSpan
                        }
                    }
                }
            }
        }
    }
}

/// `dst[i] += src[i]`.
@inline(__always)
func accumulate(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        (SIMD16<Float>(loading: dst + i) + SIMD16<Float>(loading: src + i)).store(into: dst + i)
        i += 16
    }
    if i + 8 <= count { (SIMD8<Float>(loading: dst + i) + SIMD8<Float>(loading: src + i)).store(into: dst + i); i += 8 }
    while i < count { dst[i] += src[i]; i += 1 }
}

/// `sums[c] += Σ_r m[r][c]` (bias gradients).
func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    for r in 0..<rows { accumulate(sums, m + r * columns, count: columns) }
}
