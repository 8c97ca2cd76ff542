/// How a face is cut out of a frame into the aligned square ("aligned space"), named after DeepFaceLive's face
/// aligner. One value serves every command that crops faces (`run`, `bench`, `detect --preview`, `extract`) and is
/// stored with what was made from the crops (a faceset's index, a trained model), so a model always sees its faces
/// cut exactly as it was trained on them.
public struct FaceAlignment: Sendable, Equatable, Codable {
    /// Crop side in unit-face sizes (2.2 = DeepFaceLab's "whole face"). Range ``coverageRange``.
    public var coverage: Float
    /// Crop side in pixels. Range ``resolutionRange``.
    public var resolution: Int
    /// Crop centre shift in unit-face sizes, in the face's own frame (+x = image right, +y = down).
    /// Range ``offsetRange``.
    public var xOffset: Float
    public var yOffset: Float
    /// Fit only the points that do not move when talking (no lips, brows or jaw), so expressions do not move the
    /// crop.
    public var excludeMovingParts: Bool
    /// Head crop: coverage + 1, centre moved up, shifted against the yaw.
    public var headMode: Bool
    /// Keep the crop upright in the frame (no roll), same centre and scale.
    public var freezeRoll: Bool

    public static let coverageRange: ClosedRange<Float> = 0.5...8
    public static let resolutionRange: ClosedRange<Int> = 16...1024
    public static let offsetRange: ClosedRange<Float> = -1...1

    public init(coverage: Float = 2.2, resolution: Int = 224, xOffset: Float = 0, yOffset: Float = 0,
                excludeMovingParts: Bool = true, headMode: Bool = false, freezeRoll: Bool = false) {
        self.coverage = coverage
        self.resolution = resolution
        self.xOffset = xOffset
        self.yOffset = yOffset
        self.excludeMovingParts = excludeMovingParts
        self.headMode = headMode
        self.freezeRoll = freezeRoll
    }

    /// DeepFaceLab's whole-face crop as DeepFaceLive applies it to `.dfm` models and facelive to training facesets.
    public static func wholeFace(resolution: Int) -> FaceAlignment {
        FaceAlignment(coverage: 2.2, resolution: resolution, yOffset: -0.08)
    }

    /// Checks every field against its documented range (NaN and infinities are out of every range).
    public func validate() throws(FaceAlignmentError) {
        guard Self.coverageRange.contains(coverage) else {
            throw .outOfRange(field: "coverage", value: "\(coverage)", range: "\(Self.coverageRange)")
        }
        guard Self.resolutionRange.contains(resolution) else {
            throw .outOfRange(field: "resolution", value: "\(resolution)", range: "\(Self.resolutionRange)")
        }
        for (field, value) in [("x-offset", xOffset), ("y-offset", yOffset)] where !Self.offsetRange.contains(value) {
            throw .outOfRange(field: field, value: "\(value)", range: "\(Self.offsetRange)")
        }
    }

    /// The fields in which `other` differs from this alignment, as `name value` pairs of `other` (for messages).
    public func differences(from other: FaceAlignment) -> [String] {
        var out: [String] = []
        if coverage != other.coverage { out.append("coverage \(other.coverage) (not \(coverage))") }
        if resolution != other.resolution { out.append("resolution \(other.resolution) (not \(resolution))") }
        if xOffset != other.xOffset { out.append("x-offset \(other.xOffset) (not \(xOffset))") }
        if yOffset != other.yOffset { out.append("y-offset \(other.yOffset) (not \(yOffset))") }
        if excludeMovingParts != other.excludeMovingParts {
            out.append(other.excludeMovingParts ? "stable points only" : "fit-moving-parts")
        }
        if headMode != other.headMode { out.append(other.headMode ? "head-mode" : "no head-mode") }
        if freezeRoll != other.freezeRoll { out.append(other.freezeRoll ? "freeze-roll" : "no freeze-roll") }
        return out
    }

    // Facesets and models written before the alignment was recorded in full hold only some of the keys
    // (`coverage`, `yOffset`, `faceType`); the rest take their defaults.
    private enum CodingKeys: String, CodingKey {
        case coverage, resolution, xOffset, yOffset, excludeMovingParts, headMode, freezeRoll, faceType
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FaceAlignment()
        coverage = try c.decodeIfPresent(Float.self, forKey: .coverage) ?? defaults.coverage
        resolution = try c.decodeIfPresent(Int.self, forKey: .resolution) ?? defaults.resolution
        xOffset = try c.decodeIfPresent(Float.self, forKey: .xOffset) ?? defaults.xOffset
        yOffset = try c.decodeIfPresent(Float.self, forKey: .yOffset) ?? defaults.yOffset
        excludeMovingParts = try c.decodeIfPresent(Bool.self, forKey: .excludeMovingParts) ?? defaults.excludeMovingParts
        headMode = try c.decodeIfPresent(Bool.self, forKey: .headMode)
            ?? (try c.decodeIfPresent(String.self, forKey: .faceType) == "head")
        freezeRoll = try c.decodeIfPresent(Bool.self, forKey: .freezeRoll) ?? defaults.freezeRoll
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(resolution, forKey: .resolution)
        try c.encode(xOffset, forKey: .xOffset)
        try c.encode(yOffset, forKey: .yOffset)
        try c.encode(excludeMovingParts, forKey: .excludeMovingParts)
        try c.encode(headMode, forKey: .headMode)
        try c.encode(freezeRoll, forKey: .freezeRoll)
    }
}

/// Why an alignment was refused.
public enum FaceAlignmentError: Error, Equatable, CustomStringConvertible {
    case outOfRange(field: String, value: String, range: String)

    public var description: String {
        switch self {
        case .outOfRange(let field, let value, let range): "\(field) \(value) is out of range: must be in \(range)"
        }
    }
}
