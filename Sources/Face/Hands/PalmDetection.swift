/// What ``PalmDetection`` found: a palm.
public enum DetectedPalm {}

/// One palm found by the palm detector, in frame pixels. Its box holds the palm only, not the fingers; its keypoints
/// are MediaPipe's seven palm keypoints: 0 is the wrist's centre and 2 the middle finger's base, the others lie on
/// the palm and thumb.
public typealias PalmDetection = Detection<DetectedPalm>

extension PalmDetection {
    /// Keypoint index of the wrist's centre.
    public static let wrist = 0
    /// Keypoint index of the middle finger's base (MediaPipe turns the hand crop so that wrist → this points up).
    public static let middleFingerBase = 2
}
