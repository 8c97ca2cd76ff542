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
        /// With `maxFaces` set, a face outside the reported ones takes a reported face's place only once it has
        /// sorted ahead of it on every detection for this many frames (0 = at once). Two faces of about one size
        /// changed places in the sort from one detection to the next, and the swap hopped between people
        /// (multiface_1080p_crowd: the swapped face changed person 11 times in 20 frames). A reported face that is
        /// lost keeps its place until its track ends (`maxMissedFrames`): a face lost for a moment (a hand over it)
        /// does not hand the swap to someone behind it.
        public var switchAfter: Int = 15
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
        /// Last seen and not reported (`maxFaces`): it has no landmark crop, so only a detection can find it.
        var leftOut = false
    }

    /// Changing the landmark smoothing restarts every track's filter with the new settings (the control panel
    /// changes it while running); the other options take effect from the next update.
    public var options: Options {
        didSet {
            if options.sortOrder != oldValue.sortOrder || options.maxFaces != oldValue.maxFaces { reselect = true }
            guard options.smoothing != oldValue.smoothing else { return }
            for i in tracks.indices { tracks[i].smoother = LandmarkSmoother(options: options.smoothing) }
        }
    }
    private var tracks: [Track] = []
    private var nextID = 0
    private var lastDetectionFrame: Int?
    private var wantsDetection = true
    private var reported: [TrackedFace] = []
    /// The tracks holding the `maxFaces` places: the reported faces and those lost since, until their tracks end.
    private var holders: Set<Int> = []
    /// Per face holding a place that the sort has left out of the first `maxFaces`: the frame since which it has
    /// been left out on every detection.
    private var beaten: [Int: Int] = [:]
    /// The sort or the count changed: the next selection starts afresh.
    private var reselect = false

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
        var seen = Set(matched.map { tracks[$0].face.id })
        // Unmatched tracks age out; unmatched candidates start tracks. A face left out by `maxFaces` is missed only
        // where a detection could have found it, and its miss does not ask for the next frame's detection: missed
        // between detections, or by the detector in a crowd, such faces made the detector run on every frame.
        for t in tracks.indices where !matched.contains(t) {
            guard detected || !tracks[t].leftOut else { continue }
            tracks[t].missed += 1
            if !tracks[t].leftOut { wantsDetection = true }
        }
        tracks.removeAll { $0.missed > options.maxMissedFrames }
        for (c, cand) in pending.enumerated() where !used.contains(c) {
            let face = TrackedFace(id: nextID, box: Self.box(of: cand), landmarks: nil, rawLandmarks: nil, age: -1)
            seen.insert(nextID)
            nextID += 1
            tracks.append(Track(face: face, smoother: LandmarkSmoother(options: options.smoothing)))
            apply(cand, to: tracks.count - 1, time: time)
        }
        removeDuplicates()
        reported = select(tracks.filter { seen.contains($0.face.id) }.map(\.face), frameSize: frameSize,
                          frameIndex: frameIndex, detected: detected)
        let reportedIDs = Set(reported.map(\.id))
        for t in tracks.indices where seen.contains(tracks[t].face.id) {
            tracks[t].leftOut = !reportedIDs.contains(tracks[t].face.id)
        }
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

    /// The faces seen this frame, selected and sorted, at most `maxFaces`: the faces holding places keep them while
    /// their tracks last, until the sort has left one out on every detection for ``Options/switchAfter`` frames;
    /// free places go to the sort's first faces at once.
    private mutating func select(_ faces: [TrackedFace], frameSize: SIMD2<Float>, frameIndex: Int,
                                 detected: Bool) -> [TrackedFace] {
        var faces = faces
        if case .ids(let ids) = options.selection { faces.removeAll { !ids.contains($0.id) } }
        func key(_ f: TrackedFace) -> (Float, Int) { (options.sortOrder.key(box: f.box, score: 0, frameSize: frameSize), f.id) }
        faces.sort { key($0) < key($1) }
        let limit = options.maxFaces
        var alive = Set(tracks.map(\.face.id))
        if case .ids(let ids) = options.selection { alive.formIntersection(ids) }
        let kept = reselect || limit == 0 ? [] : holders.intersection(alive)
        reselect = false
        // Lost for now, still tracked: their places wait for them.
        let away = kept.subtracting(faces.map(\.id))
        let top = limit > 0 ? Array(faces.prefix(limit)) : faces
        // Timed against the reported face, not the one ahead of it: a face the landmarker does not follow between
        // detections may come back under a new ID on each.
        if detected {
            beaten = Dictionary(uniqueKeysWithValues: faces.filter { kept.contains($0.id) && !top.contains($0) }
                .map { ($0.id, beaten[$0.id] ?? frameIndex) })
        }
        guard limit > 0, faces.count + away.count > limit else {
            holders = Set(faces.map(\.id)).union(away)
            return faces
        }
        let places = max(limit - away.count, 0)
        var chosen = Array(faces.filter { kept.contains($0.id) }.prefix(places))
        for face in faces where chosen.count < places && !chosen.contains(face) { chosen.append(face) }
        for (i, face) in chosen.enumerated() where beaten[face.id].map({ frameIndex - $0 >= options.switchAfter }) ?? false {
            guard let next = top.first(where: { !chosen.contains($0) }) else { break }
            chosen[i] = next
            beaten[face.id] = nil
        }
        holders = Set(chosen.map(\.id)).union(away)
        return chosen.sorted { key($0) < key($1) }
    }
}
