import Imaging

/// One palm found by the palm detector, in frame pixels.
public struct PalmDetection: Sendable, Equatable {
    /// Keypoint index of the wrist's centre.
    public static let wrist = 0
    /// Keypoint index of the middle finger's base (MediaPipe turns the hand crop so that wrist → this points up).
    public static let middleFingerBase = 2

    /// The palm box (palm only, not the fingers).
    public var box: BoundingBox
    /// Detector confidence, 0…1.
    public var score: Float
    /// MediaPipe's seven palm keypoints; 0 is the wrist's centre and 2 the middle finger's base, the others lie on
    /// the palm and thumb.
    public var keypoints: [SIMD2<Float>]

    public init(box: BoundingBox, score: Float, keypoints: [SIMD2<Float>]) {
        self.box = box
        self.score = score
        self.keypoints = keypoints
    }
}
