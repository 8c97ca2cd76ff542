import Testing
import Swap
@testable import Train
@testable import Neural

/// `--precision bf16` training: bf16 products with fp32 sums (AVX512_BF16's `vdpbf16ps`) in the convolutions'
/// forward pass, input and weight gradients, fp32 master weights. Compared with the fp32 path on the
/// same weights and data, within tolerances a bf16 rounding (8 significant bits, relative error ≤ 2⁻⁹ per operand)
/// allows; fp32 itself is checked against direct evaluation in ``ConvBackwardTests``.
@Suite(.enabled(if: BFloat16Support.available, "needs a CPU with AVX512_BF16 (bf16 training falls back to fp32 there)"))
struct BFloat16TrainingTests {
    /// Linear layers (identity activation) so that the comparison measures the arithmetic alone.
    /// Shapes whose forward pass (and, stride 1, input gradient) qualify: even input channels, outputs in whole
    /// 16-lane vectors; the last one's transposed convolution (48 → 20) does not, so its input gradient stays fp32.
    static let shapes: [(size: Int, cin: Int, cout: Int, kernel: Int, stride: Int, residual: Bool)] = [
        (7, 32, 48, 3, 1, false), (6, 48, 48, 3, 1, true), (9, 24, 32, 5, 2, false), (6, 20, 48, 3, 1, false),
    ]

    @Test(arguments: 0..<shapes.count)
    func layerMatchesFP32(_ index: Int) {
        let s = Self.shapes[index], batch = 4
        func layer(_ precision: Precision) -> ConvLayer {
            let context = ModuleContext(batch: batch, training: true, threads: 2, precision: precision)
            let conv = ConvLayer(name: "c", height: s.size, width: s.size, inChannels: s.cin, outChannels: s.cout,
                                 kernel: s.kernel, stride: s.stride, activation: .identity, residual: s.residual,
                                 context: context)
            var random = RandomSource(seed: UInt64(3 + index))
            conv.initialize(random: &random)
            return conv
        }
        let fp32 = layer(.fp32), bf16 = layer(.bf16)
        #expect(bf16.multipliesInBFloat16 && !fp32.multipliesInBFloat16)
        var random = RandomSource(seed: 99)
        let x = AlignedBuffer(count: batch * fp32.inputCount)
        for i in 0..<x.count { x.baseAddress[i] = random.uniform(-1, 1) }
        let residual = AlignedBuffer(count: batch * fp32.outputCount)
        for i in 0..<residual.count { residual.baseAddress[i] = random.uniform(-1, 1) }
        let dy = (0..<(batch * fp32.outputCount)).map { _ in random.uniform(-1, 1) }
        var results: [[[Float]]] = []
        for conv in [fp32, bf16] {
            let y = conv.forward(x.baseAddress, residual: s.residual ? UnsafePointer(residual.baseAddress) : nil)
            let out = Array(UnsafeBufferPointer(start: y, count: batch * conv.outputCount))
            conv.parameters.forEach { $0.zeroGradient() }
            let g = AlignedBuffer(dy)
            let dx = Array(UnsafeBufferPointer(start: conv.backward(g.baseAddress)!, count: x.count))
            results.append([out, dx, conv.weight.gradient.array, conv.bias.gradient.array])
        }
        for (i, what) in ["output", "input gradient", "weight gradient", "bias gradient"].enumerated() {
            let error = Self.relativeError(results[1][i], results[0][i])
            #expect(error <= 1e-2, "\(what): bf16 differs from fp32 by \(error) of the largest magnitude")
        }
        // The products really were rounded: the output is close to fp32 but not equal.
        #expect(Self.relativeError(results[1][0], results[0][0]) > 0)
    }

    /// A whole training step of a small DF and LIAE model (widths chosen so most convolutions take bf16): the loss
    /// and every parameter's gradient close to fp32's from the same initial weights. Leaky ReLUs are made linear
    /// here, as in the finite-difference checks: at a kink any perturbation (bf16 rounding among them) flips a unit's
    /// slope between 1 and 0.1, which says nothing about the arithmetic (those are covered by the loss curves).
    @Test(arguments: SwapArchitecture.allCases)
    func trainingStepMatchesFP32(_ architecture: SwapArchitecture) {
        let config = SwapModelConfig(architecture: architecture, resolution: 32, aeDims: 32, eDims: 8, dDims: 8,
                                     dMaskDims: 4, residualBlocks: true)
        let batch = 2, pixels = 2 * batch * 32 * 32
        var random = RandomSource(seed: 5)
        let input = (0..<(pixels * 3)).map { _ in random.unit() }
        let target = (0..<(pixels * 3)).map { _ in random.unit() }
        let mask = (0..<pixels).map { i in (i % 32) > 6 && (i % 32) < 26 ? Float(1) : random.unit() }
        var losses: [Double] = []
        var gradients: [[[Float]]] = []
        for precision in [Precision.fp32, .bf16] {
            let model = makeTrainingModel(config, batch: batch, threads: 2, precision: precision, linearActivations: true)
            model.initialize(seed: 11)
            let loss = SwapLoss(resolution: 32, batch: batch, threads: 2)
            losses.append(loss.evaluate(model.forward(input), target: target, mask: mask).total)
            model.backward(faceGradient: loss.faceGradient.baseAddress, maskGradient: loss.maskGradient.baseAddress)
            gradients.append(model.parameters.map(\.gradient.array))
        }
        #expect(abs(losses[1] - losses[0]) <= 1e-3 * abs(losses[0]), "loss fp32 \(losses[0]) bf16 \(losses[1])")
        let names = makeTrainingModel(config, batch: batch, threads: 1).parameters.map(\.name)
        for (name, (bf16, fp32)) in zip(names, zip(gradients[1], gradients[0])) {
            let error = Self.normError(bf16, fp32)
            #expect(error <= 3e-2, "\(name): gradient differs from fp32 by \(error) (relative L2)")
        }
    }

    /// The bf16 weight-gradient tiles against the fp32 ones on awkward shapes: an odd pixel count (the last pair
    /// padded), patch columns past the last whole vector (fp32 tail), 16/32/48-column tiles, output channels that
    /// fill no whole six-row tile, and accumulation onto an existing gradient.
    @Test(arguments: [(pixels: 301, k: 75, cout: 24), (pixels: 600, k: 96, cout: 13), (pixels: 37, k: 32, cout: 7)])
    func weightGradientMatchesFP32(_ shape: (pixels: Int, k: Int, cout: Int)) {
        var random = RandomSource(seed: UInt64(shape.pixels))
        let a = (0..<(shape.pixels * shape.k)).map { _ in random.uniform(-1, 1) }
        let dz = (0..<(shape.pixels * shape.cout)).map { _ in random.uniform(-1, 1) }
        let start = (0..<(shape.k * shape.cout)).map { _ in random.uniform(-1, 1) }
        var results: [[Float]] = []
        for bfloat16 in [false, true] {
            let dw = AlignedBuffer(start)
            let scratch = AlignedBuffer(count: WeightGradientGEMM.scratchCount(k: shape.k, outChannels: shape.cout, threads: 2))
            a.withUnsafeBufferPointer { a in
                dz.withUnsafeBufferPointer { dz in
                    WeightGradientGEMM.accumulate(a: a.baseAddress!, lda: shape.k, dz: dz.baseAddress!, pixels: shape.pixels,
                                                  k: shape.k, outChannels: shape.cout, into: dw.baseAddress, threads: 2,
                                                  bfloat16: bfloat16, scratch: scratch.baseAddress)
                }
            }
            results.append(dw.array)
        }
        // Sums of ~`pixels` products, each operand rounded to 8 significant bits.
        #expect(Self.relativeError(results[1], results[0]) <= 1e-2)
        #expect(results[1] != results[0], "the products were not rounded")
    }

    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        let scale = max(b.map { abs(Double($0)) }.max() ?? 0, 1e-12)
        return (zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0) / scale
    }

    static func normError(_ a: [Float], _ b: [Float]) -> Double {
        let difference = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let norm = b.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (difference / max(norm, 1e-30)).squareRoot()
    }
}

enum BFloat16Support {
    /// Whether this build and CPU take the bf16 path at all.
    static let available: Bool = {
        let geometry = WindowGeometry(input: [1, 4, 4, 16], kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1, padding: .same)!
        return Conv2D(geometry: geometry, inChannels: 16, outChannels: 16, weights: [Float](repeating: 0, count: 9 * 16 * 16),
                      bias: nil, activation: .none).converting(to: .bf16).isBFloat16
    }()
}
