/// Why a `.tflite` file could not be loaded. Every message is one line naming the part of the file at fault.
public enum TFLiteError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file lacks the `TFL3` identifier.
    case notTFLite
    /// An offset, length or value points outside the file or is impossible; `context` says what was being read.
    case malformed(context: String)
    /// An operator this runtime does not implement.
    case unsupportedOperator(name: String, index: Int)
    /// A supported operator used in a way this runtime does not implement (dilation, broadcast, …).
    case unsupportedUsage(op: String, index: Int, detail: String)
    /// A tensor element type this runtime cannot use where it appears.
    case unsupportedTensorType(tensor: String, type: Int)
    /// A tensor's stored shape disagrees with what its operator produces or expects.
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// The operator graph is inconsistent (a tensor read before it is written, a missing constant, …).
    case invalidGraph(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read model \(path): \(reason)"
        case .notTFLite: "not a TensorFlow Lite model (missing TFL3 identifier)"
        case .malformed(let context): "malformed TFLite file: \(context)"
        case .unsupportedOperator(let name, let index): "unsupported TFLite operator \(name) (operator #\(index))"
        case .unsupportedUsage(let op, let index, let detail): "unsupported use of \(op) (operator #\(index)): \(detail)"
        case .unsupportedTensorType(let tensor, let type): "tensor '\(tensor)' has unsupported element type \(TFLiteTensorType(rawValue: type)?.name ?? "#\(type)")"
        case .shapeMismatch(let tensor, let expected, let found): "tensor '\(tensor)' has shape \(found), expected \(expected)"
        case .invalidGraph(let detail): "invalid TFLite graph: \(detail)"
        }
    }
}
