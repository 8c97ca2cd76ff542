/// One hand in a ``FrameFacesRecord`` (`facelive detect --json`), frame pixels.
public struct HandRecord: Sendable, Codable, Equatable {
    /// Track ID (stable across frames).
    public var id: Int
    /// [x, y, width, height] around the landmarks.
    public var box: [Float]
    /// Palm detector score on the frame the hand was found, then the landmark network's hand presence.
    public var score: Float
    /// "left" or "right": the subject's hand, for an unmirrored camera image.
    public var handedness: String
    /// 21 [x, y, z] landmarks (MediaPipe order: wrist, thumb, index, middle, ring, pinky from base to tip).
    public var landmarks: [[Float]]
}

extension HandRecord {
    /// The record of a tracked hand (its smoothed landmarks).
    public init(_ hand: TrackedHand) {
        let box = hand.box
        self.init(id: hand.id, box: [box.x, box.y, box.width, box.height], score: hand.score,
                  handedness: hand.landmarks.rightHandedness >= 0.5 ? "right" : "left",
                  landmarks: hand.landmarks.points.map { [$0.x, $0.y, $0.z] })
    }
}
