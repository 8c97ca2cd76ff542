/// Parts of a face that move on their own (eyes, mouth opening), e.g. those a swap leaves to the target.
public struct FaceParts: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Both eyes: the openings inside the lid rings ``FaceMeshTopology/rightEye`` and ``FaceMeshTopology/leftEye``
    /// (a merger also keeps the upper lash band, ``FaceMeshTopology/eyeWithLashes(_:crease:on:reach:)``).
    public static let eyes = FaceParts(rawValue: 1 << 0)
    /// The mouth opening (``FaceMeshTopology/innerLips``): teeth and tongue.
    public static let mouth = FaceParts(rawValue: 1 << 1)
}
