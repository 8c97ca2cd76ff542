import Imaging
/// One face found by the detector, in frame pixels.
public struct FaceDetection: Sendable, Equatable {
    /// The face box.
    public var box: BoundingBox
    /// Detector confidence, 0…1.
    public var score: Float
    /// BlazeFace's six keypoints: right eye, left eye, nose tip, mouth centre, right ear, left ear
    /// (the subject's right/left: keypoint 0 is on the image left for a frontal face).
    public var keypoints: [SIMD2<Float>]

    public init(box: BoundingBox, score: Float, keypoints: [SIMD2<Float>]) {
        self.box = box
        self.score = score
        self.keypoints = keypoints
    }
}
