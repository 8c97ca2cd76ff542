import Imaging

/// One thing a detector found, in frame pixels: a box, a confidence and keypoints. `Subject` says what was found
/// (``FaceDetection``, ``PalmDetection``), so the two cannot be mixed up while sharing decoding and NMS.
public struct Detection<Subject>: Sendable, Equatable {
    /// The box around what was found.
    public var box: BoundingBox
    /// Detector confidence, 0…1.
    public var score: Float
    /// The detector's keypoints, in its own order (see the subject's typealias).
    public var keypoints: [SIMD2<Float>]

    public init(box: BoundingBox, score: Float, keypoints: [SIMD2<Float>]) {
        self.box = box
        self.score = score
        self.keypoints = keypoints
    }
}
