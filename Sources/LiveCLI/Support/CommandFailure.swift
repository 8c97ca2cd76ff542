/// A command that ran but could not deliver what was asked (no face found…): one line, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
