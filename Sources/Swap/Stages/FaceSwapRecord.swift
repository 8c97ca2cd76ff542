import Face
import Stream

/// What the swap stage did with one face of a frame. The stage attaches the frame's records
/// (``FrameSwapRecord``) for the stages and observers after it: previews of the aligned and swapped faces,
/// diagnostics.
public struct FaceSwapRecord: Sendable {
    /// The tracker's ID of the face.
    public var trackID: Int
    /// Smoothed landmarks in frame pixels, as the swap used them.
    public var landmarks: FaceLandmarks
    public var pose: HeadPose
    /// The face cut out with the stage's alignment; nil when nobody needed the crop (a frame-space swapper without
    /// a preview).
    public var aligned: AlignedFace?
    /// The face as merged (after temporal smoothing), with its mask and its map to the frame; nil when the swapper
    /// left the face alone (e.g. a profile the one-shot swap fades out).
    public var swapped: SwappedFace?
}

/// Every face the swap stage handled on a frame, in the analysis order.
public struct FrameSwapRecord: Sendable {
    public var faces: [FaceSwapRecord]
}
