/// The faces a frame holds, as the analysis stage found and tracked them (attached to the frame for later stages).
public struct FaceAnalysis: Sendable {
    /// Tracked faces in the tracker's sort order, after selection and `maxFaces`.
    public var faces: [TrackedFace]
    /// True when the detector ran on this frame (otherwise landmarks came from the previous frame's ROIs).
    public var detected: Bool

    public init(faces: [TrackedFace], detected: Bool) {
        self.faces = faces
        self.detected = detected
    }
}
