/// Why an ONNX (or `.dfm`) file could not be loaded or compiled. Every message is one line naming the part at fault.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The bytes are not an ONNX model (not protobuf, or no graph).
    case notONNX(String)
    /// A length, varint or value is impossible; `context` says what was being read.
    case malformed(context: String)
    /// A tensor keeps its data in a separate file, which this loader does not read.
    case externalData(tensor: String)
    /// An operator this runtime does not implement.
    case unsupportedOperator(op: String, node: String)
    /// An attribute of a supported operator with a value this runtime does not implement.
    case unsupportedAttribute(op: String, node: String, attribute: String, detail: String)
    /// A supported operator used in a way this runtime does not implement (a broadcast, a layout, …).
    case unsupportedUsage(op: String, node: String, detail: String)
    /// An element type this runtime cannot use where it appears.
    case unsupportedType(tensor: String, type: Int)
    /// A shape that stays unknown after the batch is fixed to 1, or an absurd one.
    case badShape(value: String, detail: String)
    /// The graph is inconsistent (a value read before it is computed, a missing input, …).
    case invalidGraph(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read model \(path): \(reason)"
        case .notONNX(let detail): "not an ONNX model: \(detail)"
        case .malformed(let context): "malformed ONNX file: \(context)"
        case .externalData(let tensor): "tensor '\(tensor)' keeps its data in an external file (not supported: save the model with the weights inside)"
        case .unsupportedOperator(let op, let node): "unsupported ONNX operator \(op) (node '\(node)')"
        case .unsupportedAttribute(let op, let node, let attribute, let detail): "unsupported \(op) attribute \(attribute) (node '\(node)'): \(detail)"
        case .unsupportedUsage(let op, let node, let detail): "unsupported use of \(op) (node '\(node)'): \(detail)"
        case .unsupportedType(let tensor, let type): "tensor '\(tensor)' has unsupported element type \(ONNXDataType(rawValue: type).map { "\($0)" } ?? "#\(type)")"
        case .badShape(let value, let detail): "value '\(value)': \(detail)"
        case .invalidGraph(let detail): "invalid ONNX graph: \(detail)"
        }
    }
}
