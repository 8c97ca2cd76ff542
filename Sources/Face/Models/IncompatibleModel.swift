/// A graph loaded as one of the bundled networks (detector, landmarker) does not have that network's inputs and
/// outputs; the description says what was expected and what the model has.
public struct IncompatibleModel: Error, CustomStringConvertible {
    public let description: String
}
