/// Why a safetensors file could not be read; one-line messages.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The bytes do not follow the format; says which part is wrong.
    case malformed(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .malformed(let reason): "malformed safetensors file: \(reason)"
        }
    }
}
