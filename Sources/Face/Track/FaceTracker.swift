import Imaging
/// Follows faces across frames: persistent IDs, landmark smoothing, and when to run the detector.
///
/// Feed it the candidates of every frame with ``update(candidates:frameIndex:time:frameSize:detected:)``. Between
/// detections the landmarker runs on ``rois()`` (this frame's landmarks give the next frame's crop);
/// ``needsDetection(frameIndex:)`` says when a full detection is due: every `detectionInterval` frames, when there
/// is no track, or when a track was missed or its face-presence score dropped.
public struct FaceTracker: Sendable {
    /// Tracking policy.
    public struct Options: Sendable, Equatable {
        /// Minimum box IoU to continue a track with a detection.
        public var iouThreshold: Float = 0.3
        /// Tracks whose boxes overlap more than this are one face: the newer track is dropped.
        public var duplicateIoU: Float = 0.5
        /// A track unmatched for more than this many consecutive frames is dropped.
        public var maxMissedFrames: Int = 5
        /// Run the detector at least every this many frames.
        public var detectionInterval: Int = 10
        /// Landmarks with a lower presence score count as "no face".
        public var presenceThreshold: Float = 0.5
        /// How many faces to report (0 = all), after sorting and selection.
        public var maxFaces: Int = 1
        /// Order of the reported faces.
        public var sortOrder: FaceSortOrder = .largest
        /// Which track IDs to report.
        public var selection: FaceSelection = .all
        /// Landmark smoothing per track.
        public var smoothing = LandmarkSmoother.Options()
        /// Landmark ROI scale (MediaPipe: 1.5).
        public var roiScale: Float = 1.5

        public init() {}
    }

    private struct Track: Sendable {
        var face: TrackedFace
        var smoother: LandmarkSmoother
        var missed = 0
    }

    /// Changing the landmark smoothing restarts every track's filter with the new settings (the control panel
    /// changes it while running); the other options take effect from the next update.
    public var options: Options {
        didSet {
            guard options.smoothing != oldValue.smoothing else { return }
            for i in tracks.indices { tracks[i].smoother = LandmarkSmoother(options: options.smoothing) }
        }
    }
    private var tracks: [Track] = []
    private var nextID = 0
    private var lastDetectionFrame: Int?
    private var wantsDetection = true
    private var reported: [TrackedFace] = []

    public init(options: Options = Options()) {
        self.options = options
    }

    /// The faces reported by the last update, in sort order.
    public var faces: [TrackedFace] { reported }

    /// Whether the detector should run on frame `frameIndex` (otherwise landmark the ``rois()``).
    public func needsDetection(frameIndex: Int) -> Bool {
        guard let last = lastDetectionFrame, !tracks.isEmpty, !wantsDetection else { return true }
        return frameIndex - last >= options.detectionInterval
    }

    /// Next-frame crops for the reported faces, from their latest landmarks.
    public func rois() -> [TrackROI] {
        reported.compactMap { face in
            guard let lm = face.rawLandmarks else { return nil }
            return TrackROI(trackID: face.id, roi: FaceROI(landmarks: lm.points2D, scale: options.roiScale))
        }
    }

    /// Associates `candidates` with the tracks, starts and ends tracks, smooths landmarks, and returns the faces to
    /// process this frame (matched tracks only, sorted, selected, at most `maxFaces`).
    /// - Parameters:
    ///   - time: frame timestamp in seconds (drives the smoothing).
    ///   - detected: true when the candidates come from a full detection pass.
    @discardableResult
    public mutating func update(
        candidates: [FaceCandidate], frameIndex: Int, time: Double, frameSize: SIMD2<Float>, detected: Bool
    ) -> [TrackedFace] {
        if detected { lastDetectionFrame = frameIndex }
        wantsDetection = false
        var pending = candidates.filter { c in
            guard let lm = c.landmarks, lm.presence < options.presenceThreshold else { return true }
            wantsDetection = true
            return false
        }
        var matched = Set<Int>()  // indices into tracks

        // Candidates landmarked from a track's own ROI belong to that track.
        pending.removeAll { c in
            guard let id = c.trackID, let t = tracks.firstIndex(where: { $0.face.id == id }), !matched.contains(t)
            else { return false }
            apply(c, to: t, time: time)
            matched.insert(t)
            return true
        }
        // The rest by greedy best IoU.
        var pairs: [(iou: Float, track: Int, candidate: Int)] = []
        for (t, track) in tracks.enumerated() where !matched.contains(t) {
            for (c, cand) in pending.enumerated() {
                let iou = track.face.box.iou(Self.box(of: cand))
                if iou >= options.iouThreshold { pairs.append((iou, t, c)) }
            }
        }
        pairs.sort { $0.iou > $1.iou }
        var used = Set<Int>()
        for p in pairs where !matched.contains(p.track) && !used.contains(p.candidate) {
            apply(pending[p.candidate], to: p.track, time: time)
            matched.insert(p.track)
            used.insert(p.candidate)
        }
        // Unmatched tracks age out; unmatched candidates start tracks.
        for t in tracks.indices where !matched.contains(t) {
            tracks[t].missed += 1
            wantsDetection = true
        }
        tracks.removeAll { $0.missed > options.maxMissedFrames }
        for (c, cand) in pending.enumerated() where !used.contains(c) {
            let face = TrackedFace(id: nextID, box: Self.box(of: cand), landmarks: nil, rawLandmarks: nil, age: -1)
            nextID += 1
            tracks.append(Track(face: face, smoother: LandmarkSmoother(options: options.smoothing)))
            apply(cand, to: tracks.count - 1, time: time)
        }
        removeDuplicates()
        reported = select(tracks.filter { $0.missed == 0 }.map(\.face), frameSize: frameSize)
        return reported
    }

    /// Two tracks on one face (a detection that did not match its track, then both ROIs converging on the face)
    /// would swap it twice and flip IDs: the older track keeps the face, the newer one ends.
    private mutating func removeDuplicates() {
        tracks = tracks.removingOverlaps(iou: options.duplicateIoU, id: \.face.id, box: \.face.box)
    }

    private mutating func apply(_ c: FaceCandidate, to t: Int, time: Double) {
        tracks[t].missed = 0
        tracks[t].face.age += 1
        tracks[t].face.box = Self.box(of: c)
        tracks[t].face.rawLandmarks = c.landmarks
        tracks[t].face.landmarks = c.landmarks.map { tracks[t].smoother.smooth($0, at: time) }
    }

    private static func box(of c: FaceCandidate) -> BoundingBox {
        guard let lm = c.landmarks, !lm.points.isEmpty else { return c.box }
        return BoundingBox(bounding: lm.points.lazy.map { SIMD2($0.x, $0.y) })
    }

    private func select(_ faces: [TrackedFace], frameSize: SIMD2<Float>) -> [TrackedFace] {
        var faces = faces
        if case .ids(let ids) = options.selection { faces.removeAll { !ids.contains($0.id) } }
        func key(_ f: TrackedFace) -> Float { options.sortOrder.key(box: f.box, score: 0, frameSize: frameSize) }
        faces.sort { (key($0), $0.id) < (key($1), $1.id) }
        if options.maxFaces > 0 && faces.count > options.maxFaces { faces.removeLast(faces.count - options.maxFaces) }
        return faces
    }
}
