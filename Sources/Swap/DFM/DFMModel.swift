import Foundation
import Neural

/// Why a `.dfm` (DeepFaceLive model) could not be used. One line each.
public enum DFMError: Error, Equatable, CustomStringConvertible {
    /// The file is not a loadable ONNX model, or uses something the runtime lacks.
    case model(ONNXError)
    /// A valid ONNX model that does not follow the DFM contract.
    case notDFM(String)
    /// `--morph` outside 0…1.
    case invalidMorph(Float)

    public var description: String {
        switch self {
        case .model(let e): "\(e)"
        case .notDFM(let detail): "not a DeepFaceLive .dfm model: \(detail)"
        case .invalidMorph(let m): "morph factor \(m) is outside 0…1"
        }
    }
}

/// A DeepFaceLab/DeepFaceLive face-swap model (`.dfm`, an ONNX file) compiled for the runtime.
///
/// The contract (DeepFaceLive's): input 0 `in_face` `[N, R, R, 3]` BGR in 0…1 (N fixed to 1 here); AMP models add
/// input 1 `morph_value` `[1]` (bound at load: it selects how many code channels come from the source identity);
/// outputs by position: 0 the input (dst) face's mask `[N, R, R, 1]`, 1 the swapped face BGR `[N, R, R, 3]`,
/// 2 the swapped face's mask `[N, R, R, 1]`.
public struct DFMModel: Sendable {
    /// DeepFaceLive's default morph factor.
    public static let defaultMorph: Float = 0.75

    public let graph: Graph
    /// Side of the aligned face the model takes (R).
    public let resolution: Int
    /// Whether the model has a `morph_value` input (AMP).
    public let hasMorph: Bool
    /// The morph factor bound at load (AMP models only).
    public let morph: Float?
    public let onnxOpset: Int
    /// ONNX nodes per operator type, as stored.
    public let operatorCounts: [String: Int]
    public let inputNames: [String]
    public let outputNames: [String]

    /// `precision` `.bf16`: the convolutions multiply in bf16 where the CPU has AVX512_BF16 (sums stay fp32).
    public init(contentsOf url: URL, morph: Float? = nil, precision: Precision = .fp32) throws(DFMError) {
        let onnx: ONNXModel
        do { onnx = try ONNXModel(contentsOf: url) } catch { throw .model(error) }
        try self.init(onnx, morph: morph, precision: precision)
    }

    public init(_ onnx: ONNXModel, morph: Float? = nil, precision: Precision = .fp32) throws(DFMError) {
        let inputs = onnx.inputs.filter { i in !onnx.initializers.contains { $0.name == i.name } }
        guard (1...2).contains(inputs.count), inputs[0].name.contains("in_face") else {
            throw .notDFM("expected input 0 'in_face' (and optionally 'morph_value'), found \(inputs.map(\.name))")
        }
        guard let dims = inputs[0].dims, dims.count == 4, let r = dims[1], dims[2] == r, dims[3] == 3, r >= 16, r <= 2048 else {
            throw .notDFM("input 'in_face' must be [N, R, R, 3], found \(inputs[0].dims.map { $0.map { $0.map(String.init) ?? "?" } } ?? [])")
        }
        hasMorph = inputs.count == 2
        if hasMorph && !inputs[1].name.contains("morph_value") {
            throw .notDFM("input 1 must be 'morph_value', found '\(inputs[1].name)'")
        }
        if let morph, !(morph >= 0 && morph <= 1) { throw .invalidMorph(morph) }
        guard onnx.outputs.count >= 3 else { throw .notDFM("expected 3 outputs (mask, face, face mask), found \(onnx.outputs.count)") }
        self.morph = hasMorph ? (morph ?? Self.defaultMorph) : nil
        let bound = hasMorph ? [inputs[1].name: [self.morph!]] : [:]
        do { graph = try onnx.makeGraph(constantInputs: bound).converting(to: precision) } catch { throw .model(error) }
        let expected: [TensorShape] = [[1, r, r, 1], [1, r, r, 3], [1, r, r, 1]]
        guard Array(graph.outputShapes.prefix(3)) == expected else {
            throw .notDFM("outputs are \(graph.outputShapes.prefix(3)), expected \(expected)")
        }
        resolution = r
        onnxOpset = onnx.opset
        operatorCounts = onnx.nodes.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 }
        inputNames = inputs.map(\.name)
        outputNames = onnx.outputs.map(\.name)
    }
}
