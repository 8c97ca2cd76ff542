import Neural
import Swap
/// One training step's reconstructions: each identity's faces through its own path (`batch` samples each).
struct Reconstruction {
    let srcFace: UnsafeMutablePointer<Float>
    let srcMask: UnsafeMutablePointer<Float>
    let dstFace: UnsafeMutablePointer<Float>
    let dstMask: UnsafeMutablePointer<Float>
}

/// A swap network being trained on batches of `batch` source faces followed by `batch` destination faces.
protocol SwapTrainingModel: AnyObject {
    var config: SwapModelConfig { get }
    /// Samples per identity.
    var batch: Int { get }
    /// All parameters, in a fixed order.
    var parameters: [Parameter] { get }
    /// Reconstructs both identities from `input` (`2·batch` faces, NHWC, source first).
    func forward(_ input: UnsafePointer<Float>) -> Reconstruction
    /// Backpropagates gradients for the last forward pass's outputs, laid out like its input (source first).
    func backward(faceGradient: UnsafeMutablePointer<Float>, maskGradient: UnsafeMutablePointer<Float>)
    /// After ``forward(_:)``: the destination faces rendered with the source identity (`batch` faces + masks).
    func swapDestination() -> (face: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>)
    /// Fresh random weights, drawn in parameter order.
    func initializeModules(random: inout RandomSource)
}

extension SwapTrainingModel {
    /// Forward FLOPs of the swap path for one face (what inference costs).
    var inferenceFLOPs: Int { SwapNetworkLayout(config: config).flopsPerFace(direction: .dstToSrc) }

    func initialize(seed: UInt64) {
        var random = RandomSource(seed: seed)
        initializeModules(random: &random)
    }
}

/// Builds the training model for `config`.
func makeTrainingModel(_ config: SwapModelConfig, batch: Int, threads: Int, precision: Precision = .fp32,
                       linearActivations: Bool = false) -> any SwapTrainingModel {
    let builder = SwapNetworkBuilder(config: config, linearActivations: linearActivations)
    switch config.architecture {
    case .df: return DFModel(builder: builder, batch: batch, threads: threads, precision: precision)
    case .liae: return LIAEModel(builder: builder, batch: batch, threads: threads, precision: precision)
    }
}

/// DeepFaceLab's DF: `decoder_src(inter(encoder(x)))` and `decoder_dst(…)`; the swap feeds destination codes to
/// the source decoder.
final class DFModel: SwapTrainingModel {
    let config: SwapModelConfig
    let batch: Int
    let encoder: Sequential
    let inter: Sequential
    let decoderSrc: SwapDecoder
    let decoderDst: SwapDecoder
    private let codeGradient: AlignedBuffer
    private var code: UnsafeMutablePointer<Float>?

    init(builder: SwapNetworkBuilder, batch: Int, threads: Int, precision: Precision) {
        config = builder.config
        self.batch = batch
        let both = ModuleContext(batch: 2 * batch, training: true, threads: threads, precision: precision)
        let one = both.with(batch: batch)
        encoder = builder.encoder(context: both)
        inter = builder.inter(name: "inter", context: both)
        decoderSrc = builder.decoder(name: "decoder_src", context: one)
        decoderDst = builder.decoder(name: "decoder_dst", context: one)
        codeGradient = AlignedBuffer(count: 2 * batch * inter.outputCount)
    }

    var parameters: [Parameter] { encoder.parameters + inter.parameters + decoderSrc.parameters + decoderDst.parameters }

    func initializeModules(random: inout RandomSource) {
        encoder.initialize(random: &random)
        inter.initialize(random: &random)
        decoderSrc.initialize(random: &random)
        decoderDst.initialize(random: &random)
    }

    func forward(_ input: UnsafePointer<Float>) -> Reconstruction {
        let code = inter.forward(UnsafePointer(encoder.forward(input)))
        self.code = code
        let src = decoderSrc.forward(code)
        let dst = decoderDst.forward(code + batch * inter.outputCount)
        return Reconstruction(srcFace: src.face, srcMask: src.mask, dstFace: dst.face, dstMask: dst.mask)
    }

    func backward(faceGradient: UnsafeMutablePointer<Float>, maskGradient: UnsafeMutablePointer<Float>) {
        let r = config.resolution * config.resolution, n = batch * inter.outputCount
        let dSrc = decoderSrc.backward(face: faceGradient, mask: maskGradient, batch: batch)
        codeGradient.baseAddress.update(from: dSrc, count: n)
        let dDst = decoderDst.backward(face: faceGradient + batch * r * 3, mask: maskGradient + batch * r, batch: batch)
        (codeGradient.baseAddress + n).update(from: dDst, count: n)
        _ = encoder.backward(inter.backward(codeGradient.baseAddress)!)
    }

    func swapDestination() -> (face: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>) {
        decoderSrc.forward(code! + batch * inter.outputCount)
    }
}

/// DeepFaceLab's LIAE: source code `[AB(x), AB(x)]`, destination code `[B(x), AB(x)]`, one shared decoder; the
/// swap decodes `[AB(dst), AB(dst)]`.
final class LIAEModel: SwapTrainingModel {
    let config: SwapModelConfig
    let batch: Int
    let encoder: Sequential
    let interAB: Sequential
    let interB: Sequential
    let decoder: SwapDecoder
    private let code: AlignedBuffer
    private let swapCode: AlignedBuffer
    private let abGradient: AlignedBuffer
    private let bGradient: AlignedBuffer
    private var ab: UnsafeMutablePointer<Float>?

    init(builder: SwapNetworkBuilder, batch: Int, threads: Int, precision: Precision) {
        config = builder.config
        self.batch = batch
        let both = ModuleContext(batch: 2 * batch, training: true, threads: threads, precision: precision)
        encoder = builder.encoder(context: both)
        interAB = builder.inter(name: "inter_AB", context: both)
        interB = builder.inter(name: "inter_B", context: both.with(batch: batch))
        decoder = builder.decoder(name: "decoder", context: both)
        code = AlignedBuffer(count: 2 * batch * decoder.inputCount)
        swapCode = AlignedBuffer(count: 2 * batch * decoder.inputCount)
        abGradient = AlignedBuffer(count: 2 * batch * interAB.outputCount)
        bGradient = AlignedBuffer(count: batch * interB.outputCount)
    }

    var parameters: [Parameter] { encoder.parameters + interAB.parameters + interB.parameters + decoder.parameters }

    func initializeModules(random: inout RandomSource) {
        encoder.initialize(random: &random)
        interAB.initialize(random: &random)
        interB.initialize(random: &random)
        decoder.initialize(random: &random)
    }

    private var pixels: Int { config.lowestResolution * config.lowestResolution * 4 }
    private var channels: Int { config.interChannels }

    func forward(_ input: UnsafePointer<Float>) -> Reconstruction {
        let e = encoder.forward(input)
        let ab = interAB.forward(e)
        self.ab = ab
        let b = interB.forward(e + batch * encoder.outputCount)
        let m = interAB.outputCount, c = code.baseAddress
        for n in 0..<(2 * batch) {
            let first = n < batch ? ab + n * m : b + (n - batch) * m
            ChannelConcat.forward(first, ab + n * m, channelsA: channels, channelsB: channels, pixels: pixels, into: c + n * 2 * m)
        }
        let out = decoder.forward(c)
        let r = config.resolution * config.resolution
        return Reconstruction(srcFace: out.face, srcMask: out.mask, dstFace: out.face + batch * r * 3, dstMask: out.mask + batch * r)
    }

    func backward(faceGradient: UnsafeMutablePointer<Float>, maskGradient: UnsafeMutablePointer<Float>) {
        let dCode = decoder.backward(face: faceGradient, mask: maskGradient, batch: 2 * batch)
        let m = interAB.outputCount
        for n in 0..<(2 * batch) {
            let dab = abGradient.baseAddress + n * m
            if n < batch {
                ChannelConcat.backward(dCode + n * 2 * m, channelsA: channels, channelsB: channels, pixels: pixels,
                                       intoA: dab, addA: false, intoB: dab, addB: true)
            } else {
                ChannelConcat.backward(dCode + n * 2 * m, channelsA: channels, channelsB: channels, pixels: pixels,
                                       intoA: bGradient.baseAddress + (n - batch) * m, addA: false, intoB: dab, addB: false)
            }
        }
        let fromB = interB.backward(bGradient.baseAddress)!
        let de = interAB.backward(abGradient.baseAddress)!
        accumulate(de + batch * encoder.outputCount, fromB, count: batch * encoder.outputCount)
        _ = encoder.backward(de)
    }

    func swapDestination() -> (face: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>) {
        let m = interAB.outputCount, ab = self.ab!
        for n in 0..<(2 * batch) {
            let dst = ab + (batch + n % batch) * m
            ChannelConcat.forward(dst, dst, channelsA: channels, channelsB: channels, pixels: pixels, into: swapCode.baseAddress + n * 2 * m)
        }
        return decoder.forward(swapCode.baseAddress)
    }
}

/// Model facts for tools.
public enum SwapModelInfo {
    /// Forward FLOPs of the swap path for one face.
    public static func flopsPerFace(_ config: SwapModelConfig) -> Int {
        SwapNetworkLayout(config: config).flopsPerFace(direction: .dstToSrc)
    }
}
