import Foundation
import Neural

/// Inference with a trained swap model: an aligned face crop in, the face repainted with the other identity and its
/// mask out, at the model's resolution.
///
/// Buffers are allocated once; ``swap(_:)`` allocates nothing. Not thread-safe: use one instance per thread.
public final class TrainedSwapModel {
    public let config: SwapModelConfig
    /// Which identity it paints (the file's direction unless overridden).
    public let direction: SwapDirection
    private let encoder: Sequential
    private let inter: Sequential
    /// LIAE source-to-destination only: inter_B for the first half of the code.
    private let interB: Sequential?
    private let decoder: SwapDecoder
    private let code: AlignedBuffer?

    /// Loads `url`; `direction` overrides the swap direction stored in the file.
    public convenience init(contentsOf url: URL, direction: SwapDirection? = nil) throws(TrainError) {
        try self.init(file: SafetensorsFile(contentsOf: url), direction: direction)
    }

    init(file: SafetensorsFile, direction: SwapDirection? = nil) throws(TrainError) {
        config = try SwapModelFile.config(of: file)
        self.direction = direction ?? config.direction
        let builder = SwapNetworkBuilder(config: config)
        let context = ModuleContext(batch: 1, training: false, threads: 1)
        encoder = builder.encoder(context: context)
        switch config.architecture {
        case .df:
            inter = builder.inter(name: "inter", context: context)
            interB = nil
            decoder = builder.decoder(name: self.direction == .dstToSrc ? "decoder_src" : "decoder_dst", context: context)
            code = nil
        case .liae:
            inter = builder.inter(name: "inter_AB", context: context)
            interB = self.direction == .srcToDst ? builder.inter(name: "inter_B", context: context) : nil
            decoder = builder.decoder(name: "decoder", context: context)
            code = AlignedBuffer(count: decoder.inputCount)
        }
        let parameters = encoder.parameters + inter.parameters + (interB?.parameters ?? []) + decoder.parameters
        try SwapModelFile.load(parameters, from: file)
        try checkOutputs(parameters)
    }

    /// Weights a trained model has are far below this; a file with larger ones (or NaN) would only paint noise.
    static let weightLimit: Float = 1e4

    /// Refuses a model that cannot paint a face: non-finite or absurd weights, or non-finite outputs on a probe
    /// face (a smooth grey-to-skin gradient) — better a clear error at load than a run that silently swaps nothing.
    private func checkOutputs(_ parameters: [Parameter]) throws(TrainError) {
        for p in parameters {
            let values = UnsafeBufferPointer(start: p.value.baseAddress, count: p.count)
            if let bad = values.first(where: { !($0.magnitude <= Self.weightLimit) }) {
                throw .unsupportedModel("weight \(bad) in '\(p.name)' (outside ±\(Self.weightLimit); a broken or diverged training?)")
            }
        }
        let r = config.resolution
        var probe = [Float](repeating: 0, count: r * r * 3)
        for y in 0..<r {
            for x in 0..<r {
                let i = (y * r + x) * 3, t = Float(x + y) / Float(2 * r)
                probe[i] = 0.45 + 0.4 * t
                probe[i + 1] = 0.35 + 0.3 * t
                probe[i + 2] = 0.3 + 0.25 * t
            }
        }
        let out = probe.withUnsafeBufferPointer { swap($0.baseAddress!) }
        guard out.face.allSatisfy({ $0.isFinite }), out.mask.allSatisfy({ $0.isFinite }) else {
            throw .unsupportedModel("its output on a probe face is not finite (NaN or infinite): the weights are broken")
        }
    }

    /// Side of the square face crop.
    public var resolution: Int { config.resolution }

    /// Floating-point operations per face.
    public var flopsPerFace: Int {
        encoder.flopsPerSample + inter.flopsPerSample + (interB?.flopsPerSample ?? 0) + decoder.flopsPerSample
    }

    /// Swaps one face: `face` is `resolution² × 3` RGB floats in [0, 1] (row-major, interleaved). The results are
    /// the model's own buffers (`resolution² × 3` face, `resolution²` mask), valid until the next call.
    public func swap(_ face: UnsafePointer<Float>) -> (face: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<Float>) {
        let e = encoder.forward(face)
        let ab = inter.forward(e)
        var input = UnsafePointer(ab)
        if let code {
            let pixels = config.lowestResolution * config.lowestResolution * 4, c = config.interChannels
            let first = interB.map { UnsafePointer($0.forward(e)) } ?? UnsafePointer(ab)
            ChannelConcat.forward(first, ab, channelsA: c, channelsB: c, pixels: pixels, into: code.baseAddress)
            input = UnsafePointer(code.baseAddress)
        }
        let out = decoder.forward(input)
        let r2 = config.resolution * config.resolution
        return (UnsafeBufferPointer(start: out.face, count: r2 * 3), UnsafeBufferPointer(start: out.mask, count: r2))
    }

    /// Convenience: copies in and out.
    public func swap(_ face: [Float]) -> (face: [Float], mask: [Float]) {
        precondition(face.count == config.resolution * config.resolution * 3, "face must be resolution² × 3 floats")
        let result = face.withUnsafeBufferPointer { swap($0.baseAddress!) }
        return (Array(result.face), Array(result.mask))
    }
}
