/// Parts of a face that move on their own (eyes, mouth opening), e.g. those a swap leaves to the target.
public struct FaceParts: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Both eye openings (the lid margins, ``FaceMeshTopology/rightEye`` and ``FaceMeshTopology/leftEye``).
    public static let eyes = FaceParts(rawValue: 1 << 0)
    /// The mouth opening (``FaceMeshTopology/innerLips``): teeth and tongue.
    public static let mouth = FaceParts(rawValue: 1 << 1)

    /// The landmark rings outlining these parts.
    public var rings: [[Int]] {
        var rings: [[Int]] = []
        if contains(.eyes) { rings += [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye] }
        if contains(.mouth) { rings.append(FaceMeshTopology.innerLips) }
        return rings
    }
}
