import Foundation
import Neural
import Swap

/// The named parts of a swap model, as its tensor names start (`encoder.…`, `inter.…`/`inter_AB.…`/`inter_B.…`,
/// `decoder_src.…`/`decoder_dst.…`/`decoder.…`).
public enum ModelPart: String, CaseIterable, Sendable {
    case encoder, inter, decoder

    func owns(_ parameterName: String) -> Bool { parameterName.hasPrefix(rawValue) }
}

/// Starting a new model from parts of a trained one (DeepFaceLab's reuse of a model for a new pair: the encoder and
/// decoders already know faces, so a new pair converges far sooner than from random weights).
public struct ModelReuse: Sendable {
    public var model: URL
    public var parts: Set<ModelPart>

    public init(model: URL, parts: Set<ModelPart> = Set(ModelPart.allCases)) {
        self.model = model
        self.parts = parts
    }

    /// Copies the kept parts' tensors into `parameters`; refuses a model of another architecture or shape.
    func apply(to parameters: [Parameter], config: SwapModelConfig) throws(TrainError) {
        let file = try SafetensorsFile.read(model)
        let path = model.path
        let other: SwapModelConfig
        do { other = try SwapModelFile.config(of: file) } catch {
            throw .incompatibleModel(path: path, reason: error.description)
        }
        guard other.architecture == config.architecture else {
            throw .incompatibleModel(path: path, reason: "it is a \(other.architecture.rawValue) model, this one is \(config.architecture.rawValue)")
        }
        guard other.resolution == config.resolution else {
            throw .incompatibleModel(path: path, reason: "it was trained at \(other.resolution) px, this model is \(config.resolution) px")
        }
        for p in parameters where parts.contains(where: { $0.owns(p.name) }) {
            guard let tensor = file.tensors[p.name] else {
                throw .incompatibleModel(path: path, reason: "it has no tensor \(p.name)")
            }
            guard tensor.shape == p.shape, tensor.values.count == p.count else {
                throw .incompatibleModel(path: path, reason: "\(p.name) is \(tensor.shape) there but \(p.shape) here (another preset?)")
            }
            p.assign(tensor.values)
        }
    }
}
