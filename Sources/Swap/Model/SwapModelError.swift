import Neural

/// Why a swap model file cannot be used; one-line messages naming the part at fault.
public enum SwapModelError: Error, Equatable, CustomStringConvertible {
    /// The file is not readable safetensors.
    case file(SafetensorsError)
    /// Not a facelive swap model, or metadata this version does not understand.
    case unsupportedModel(String)
    /// The stored configuration describes a network that cannot be built.
    case invalidConfiguration(String)
    /// A weight the network needs is not in the file.
    case missingTensor(String)
    /// A weight has another shape than the configuration implies.
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .unsupportedModel(let reason): "unsupported model: \(reason)"
        case .invalidConfiguration(let reason): "invalid model configuration: \(reason)"
        case .missingTensor(let name): "model file has no tensor '\(name)'"
        case .tensorShapeMismatch(let name, let expected, let found):
            "tensor '\(name)' has shape \(found), expected \(expected)"
        }
    }
}
