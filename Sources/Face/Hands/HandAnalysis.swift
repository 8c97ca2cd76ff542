import Imaging

/// The hands a frame holds, as the hand stage found and tracked them (attached to the frame for later stages).
public struct HandAnalysis: Sendable {
    /// Tracked hands (found this frame, or held for a frame after the landmarker lost them).
    public var hands: [TrackedHand]
    /// True when palm detection ran on this frame.
    public var detected: Bool
    /// Where palm detection looked (frame pixels); empty when it did not run.
    public var searchedRegions: [BoundingBox]

    public init(hands: [TrackedHand], detected: Bool, searchedRegions: [BoundingBox] = []) {
        self.hands = hands
        self.detected = detected
        self.searchedRegions = searchedRegions
    }
}

/// What stands in front of the faces of a frame, in frame pixels: the merger cuts these out of every face's mask.
public struct FaceOcclusion: Sendable {
    /// One coverage mask per occluder (0 = face visible, 1 = occluder in front).
    public var masks: [PlacedMask]

    public init(masks: [PlacedMask]) {
        self.masks = masks
    }
}
