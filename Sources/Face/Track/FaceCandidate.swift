import Imaging
/// One face seen in a frame, before tracking: a detector box and/or the landmarker's points.
public struct FaceCandidate: Sendable, Equatable {
    /// Face box in frame pixels (from the detector, or around the landmarks).
    public var box: BoundingBox
    /// Landmarks in frame pixels, when the landmarker ran.
    public var landmarks: FaceLandmarks?
    /// The track whose ROI produced this candidate (landmarker run on ``FaceTracker/rois()``); nil after detection.
    public var trackID: Int?

    public init(box: BoundingBox, landmarks: FaceLandmarks? = nil, trackID: Int? = nil) {
        self.box = box
        self.landmarks = landmarks
        self.trackID = trackID
    }

    /// A candidate from landmarks alone; the box is their bounding box.
    public init(landmarks: FaceLandmarks, trackID: Int? = nil) {
        self.init(box: BoundingBox(bounding: landmarks.points.lazy.map { SIMD2($0.x, $0.y) }), landmarks: landmarks,
                  trackID: trackID)
    }
}

/// A face followed across frames.
public struct TrackedFace: Sendable, Equatable {
    /// Stable identity, unique for the tracker's lifetime.
    public var id: Int
    /// Box in frame pixels (around the landmarks when there are some).
    public var box: BoundingBox
    /// Smoothed landmarks (equal to ``rawLandmarks`` with smoothing off).
    public var landmarks: FaceLandmarks?
    /// Landmarks as the landmarker gave them this frame.
    public var rawLandmarks: FaceLandmarks?
    /// Frames since the track started (0 on its first frame).
    public var age: Int

    /// True on the track's first frame.
    public var isNew: Bool { age == 0 }
}

/// The region the landmarker should crop for a track in the next frame.
public struct TrackROI: Sendable, Equatable {
    public var trackID: Int
    public var roi: FaceROI
}

/// How faces are ordered (and so which survive `maxFaces`).
/// Which tracked faces are reported.
public enum FaceSelection: Sendable, Equatable {
    case all
    case ids(Set<Int>)
}
