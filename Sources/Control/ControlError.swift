/// Why the control panel could not start or refused a request; each renders as one line.
public enum ControlError: Error, Equatable, CustomStringConvertible {
    case invalidAddress(String)
    case cannotListen(String, reason: String)
    /// A request's value for `field` is wrong (HTTP 400).
    case badField(field: String, message: String)
    /// A request the API cannot read at all (HTTP 400).
    case badRequest(String)
    case settingsFile(String, reason: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text): "--control '\(text)' is invalid: expected PORT or HOST:PORT with a port in 0…65535"
        case .cannotListen(let address, let reason): "--control: cannot listen on \(address): \(reason)"
        case .badField(let field, let message): message.hasPrefix(field + " ") ? message : "\(field): \(message)"
        case .badRequest(let message): message
        case .settingsFile(let path, let reason): "--settings \(path): \(reason)"
        }
    }

    /// The field at fault, when one is.
    public var field: String? {
        if case .badField(let field, _) = self { return field }
        return nil
    }
}
