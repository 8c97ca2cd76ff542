/// The faces a frame holds, as the analysis stage found and tracked them (attached to the frame for later stages).
public struct FaceAnalysis: Sendable {
    /// Tracked faces in the tracker's sort order, after selection and `maxFaces`.
    public var faces: [TrackedFace]
    /// True when the detector ran on this frame (otherwise landmarks came from the previous frame's ROIs).
    public var detected: Bool
    /// What the detector found on this frame (empty when it did not run).
    public var detections: [FaceDetection]

    public init(faces: [TrackedFace], detected: Bool, detections: [FaceDetection] = []) {
        self.faces = faces
        self.detected = detected
        self.detections = detections
    }

    /// The detection that best matches `face` (box IoU above 0.3), if the detector ran.
    public func detection(for face: TrackedFace) -> FaceDetection? {
        detections.map { ($0, $0.box.iou(face.box)) }.filter { $0.1 > 0.3 }.max { $0.1 < $1.1 }?.0
    }
}
