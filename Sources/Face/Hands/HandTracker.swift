import Imaging

/// A hand followed across frames.
public struct TrackedHand: Sendable, Equatable {
    /// Stable identity, unique for the tracker's lifetime.
    public var id: Int
    /// Smoothed landmarks (what occlusion masks and drawings use).
    public var landmarks: HandLandmarks
    /// Landmarks as the network gave them this frame (next frame's crop comes from these).
    public var rawLandmarks: HandLandmarks
    /// Palm detector score when the track started, then the landmarker's presence.
    public var score: Float
    /// Frames since the track started (0 on its first frame).
    public var age: Int
    /// Consecutive frames the hand was not found (its last landmarks stand in meanwhile).
    public var missed: Int

    /// Box around the landmarks, frame pixels.
    public var box: BoundingBox { landmarks.box }
}

/// One hand seen in a frame before tracking: landmarks from a track's own crop (`trackID`) or from a new palm.
public struct HandCandidate: Sendable, Equatable {
    public var landmarks: HandLandmarks
    public var trackID: Int?
    /// The palm detector's score when the candidate comes from a detection.
    public var palmScore: Float?

    public init(landmarks: HandLandmarks, trackID: Int? = nil, palmScore: Float? = nil) {
        self.landmarks = landmarks
        self.trackID = trackID
        self.palmScore = palmScore
    }
}

/// Follows hands across frames: IDs, landmark smoothing, the next frame's crops, and when to look for new palms.
///
/// Between palm detections the landmarker runs on ``rois()`` (this frame's landmarks give the next frame's crop, as
/// in MediaPipe). ``needsDetection(frameIndex:)`` asks for palm detection every `detectionInterval` frames
/// (`trackingDetectionInterval` while hands are tracked) and right after a hand was lost. A hand the landmarker
/// loses keeps its last landmarks for `holdFrames` frames, so one missed frame does not paint the face over it.
///
/// A new hand needs more than a tracked one: the landmark network must confirm a palm with `newHandPresence` before a
/// track starts, while a tracked hand is kept down to the landmarker's own threshold (MediaPipe's 0.5). Palms the
/// detector finds in ears, faces and clothes get presence 0.5–0.85 on their crop, real hands 0.9–0.99; once such
/// a palm is tracked, crops from its own landmarks settle on it and the presence climbs (0.9 on an ear), so it has
/// to be stopped before it starts.
public struct HandTracker: Sendable {
    public struct Options: Sendable, Equatable {
        /// Look for new palms at least every this many frames while no hand is tracked.
        public var detectionInterval = 3
        /// Look for further palms every this many frames while hands are tracked (each from its own crop, so
        /// palm detection only finds other hands): a second hand takes up to 0.2 s at 30 fps to be picked up, where
        /// a palm detection costs more than the hand's own landmarks.
        public var trackingDetectionInterval = 6
        /// Keep a lost hand's last landmarks for this many frames.
        public var holdFrames = 1
        /// Tracks whose boxes overlap more than this are one hand: the newer one ends.
        public var duplicateIoU: Float = 0.5
        /// At most this many hands.
        public var maxHands = 4
        /// The landmark network's presence a hand that is not yet tracked needs to start a track (0…1).
        public var newHandPresence: Float = 0.9
        /// Landmark smoothing (steadier masks); positions in units of the palm size.
        public var smoothing = LandmarkSmoother.Options()

        public init() {}
    }

    private struct Track: Sendable {
        var hand: TrackedHand
        var smoother: LandmarkSmoother
    }

    public var options: Options
    private var tracks: [Track] = []
    private var nextID = 0
    private var lastDetectionFrame: Int?
    private var wantsDetection = true

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Hands after the last update: found this frame or held.
    public var hands: [TrackedHand] { tracks.map(\.hand) }

    /// Whether palm detection should run on frame `frameIndex`.
    public func needsDetection(frameIndex: Int) -> Bool {
        guard let last = lastDetectionFrame, !wantsDetection else { return true }
        return frameIndex - last >= (tracks.isEmpty ? options.detectionInterval : options.trackingDetectionInterval)
    }

    /// Crops for this frame's landmarks, one per hand found on the previous frame.
    public func rois() -> [(trackID: Int, roi: FaceROI)] {
        tracks.filter { $0.hand.missed == 0 }.map { ($0.hand.id, HandLandmarker.roi(from: $0.hand.rawLandmarks)) }
    }

    /// Whether a new palm at `point` belongs to a hand already found this frame (its crop keeps the hand).
    public func covers(_ point: SIMD2<Float>, in candidates: [HandCandidate]) -> Bool {
        candidates.contains { $0.landmarks.box.contains(point) }
    }

    /// Continues tracks with candidates from their own crops, starts tracks for the others, ages the rest out, and
    /// drops hands that `keep` rejects (e.g. hands far from every face).
    /// - Parameters:
    ///   - detected: true when palm detection ran on this frame.
    ///   - time: frame time in seconds (drives the smoothing).
    @discardableResult
    public mutating func update(candidates: [HandCandidate], frameIndex: Int, time: Double, detected: Bool,
                                keep: (BoundingBox) -> Bool = { _ in true }) -> [TrackedHand] {
        if detected { lastDetectionFrame = frameIndex }
        wantsDetection = false
        var matched = Set<Int>()
        var fresh: [HandCandidate] = []
        for c in candidates {
            if let id = c.trackID, let t = tracks.firstIndex(where: { $0.hand.id == id }), !matched.contains(t) {
                apply(c, to: t, time: time)
                matched.insert(t)
            } else {
                fresh.append(c)
            }
        }
        // A detected hand over a held (lost) track takes that track's ID back.
        for c in fresh {
            let box = c.landmarks.box
            if let t = tracks.indices.first(where: { !matched.contains($0) && tracks[$0].hand.box.iou(box) > options.duplicateIoU }) {
                apply(c, to: t, time: time)
                matched.insert(t)
            } else if tracks.count < options.maxHands && c.landmarks.presence >= options.newHandPresence {
                var smoother = LandmarkSmoother(options: options.smoothing)
                let smoothed = smoother.smooth(points: c.landmarks.points, at: time)
                var landmarks = c.landmarks
                landmarks.points = smoothed
                tracks.append(Track(hand: TrackedHand(id: nextID, landmarks: landmarks, rawLandmarks: c.landmarks,
                                                      score: c.palmScore ?? c.landmarks.presence, age: 0, missed: 0),
                                    smoother: smoother))
                nextID += 1
                matched.insert(tracks.count - 1)
            }
        }
        for t in tracks.indices where !matched.contains(t) {
            tracks[t].hand.missed += 1
            wantsDetection = true
        }
        tracks.removeAll { $0.hand.missed > options.holdFrames || !keep($0.hand.box) }
        removeDuplicates()
        return hands
    }

    private mutating func apply(_ c: HandCandidate, to t: Int, time: Double) {
        tracks[t].hand.missed = 0
        tracks[t].hand.age += 1
        tracks[t].hand.rawLandmarks = c.landmarks
        tracks[t].hand.score = c.palmScore ?? c.landmarks.presence
        var landmarks = c.landmarks
        landmarks.points = tracks[t].smoother.smooth(points: c.landmarks.points, at: time)
        tracks[t].hand.landmarks = landmarks
    }

    /// Two tracks converging on one hand: the older keeps it.
    private mutating func removeDuplicates() {
        tracks = tracks.removingOverlaps(iou: options.duplicateIoU, id: \.hand.id, box: \.hand.box)
    }
}
