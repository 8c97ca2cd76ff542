/// One frame's faces as `facelive detect --json` writes them: one JSON object per line (frame pixels, degrees).
public struct FrameFacesRecord: Sendable, Codable, Equatable {
    public var frame: Int
    public var pts: Double
    public var faces: [FaceRecord]
    /// Tracked hands (empty when hand tracking is off).
    public var hands: [HandRecord]
}

/// One face in a ``FrameFacesRecord``.
public struct FaceRecord: Sendable, Codable, Equatable {
    /// Track ID (stable across frames).
    public var id: Int
    /// [x, y, width, height].
    public var box: [Float]
    /// Detector score, or the landmarker's face presence on frames where the detector did not run.
    public var score: Float
    /// Six [x, y] keypoints (right eye, left eye, nose tip, mouth centre, right ear, left ear).
    public var keypoints: [[Float]]
    /// 468 [x, y, z] landmarks.
    public var landmarks: [[Float]]
    public var pose: HeadPose
}

extension FrameFacesRecord {
    /// The record for a frame's analyses.
    public init(frame: Int, pts: Double, analysis: FaceAnalysis, hands: HandAnalysis? = nil) {
        self.frame = frame
        self.pts = pts
        self.hands = (hands?.hands ?? []).map(HandRecord.init)
        faces = analysis.faces.compactMap { face in
            guard let landmarks = face.landmarks else { return nil }
            let detection = analysis.detection(for: face)
            return FaceRecord(
                id: face.id,
                box: [face.box.x, face.box.y, face.box.width, face.box.height],
                score: detection?.score ?? landmarks.presence,
                keypoints: (detection?.keypoints ?? landmarks.keypoints).map { [$0.x, $0.y] },
                landmarks: landmarks.points.map { [$0.x, $0.y, $0.z] },
                pose: HeadPose(landmarks: landmarks))
        }
    }
}
