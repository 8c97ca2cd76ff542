import Imaging
import Stream

/// Detects, landmarks and tracks faces on every frame, and attaches a ``FaceAnalysis``.
///
/// The detector runs only when the tracker asks for it (every N frames, or when a track was lost or its
/// face-presence dropped); in between, each track's landmarks of frame t give its landmark crop on frame t+1.
/// When a tracked face is not confirmed by its crop, detection runs on the same frame so the face is not lost.
public final class FaceAnalysisStage: FrameProcessor {
    public let name = "analyze"
    private let detector: FaceDetector
    private let landmarker: FaceLandmarker
    private var tracker: FaceTracker
    private let liveOptions: LiveOptions?
    private var liveGeneration = 0

    /// Options changed while the stage runs (the control panel's): called once per frame, before any work, with
    /// the generation the stage last saw; it updates `detector` and `tracker` (and the generation) only when
    /// newer options exist, and says whether it did.
    public typealias LiveOptions = @Sendable (_ generation: inout Int, _ detector: inout FaceDetector.Options,
                                              _ tracker: inout FaceTracker.Options) -> Bool

    public init(detector: FaceDetector, landmarker: FaceLandmarker, tracker: FaceTracker, liveOptions: LiveOptions? = nil) {
        self.detector = detector
        self.landmarker = landmarker
        self.tracker = tracker
        self.liveOptions = liveOptions
    }

    public func process(_ frame: VideoFrame) throws {
        if let liveOptions {
            var detectorOptions = detector.options, trackerOptions = tracker.options
            if liveOptions(&liveGeneration, &detectorOptions, &trackerOptions) {
                detector.options = detectorOptions
                tracker.options = trackerOptions
            }
        }
        let image = try frame.image
        var candidates: [FaceCandidate] = []
        var lost = false
        let rois = tracker.rois()
        for roi in rois {
            let landmarks = frame.measure("landmarks") { landmarker.landmarks(in: image, roi: roi.roi) }
            if let landmarks {
                candidates.append(FaceCandidate(landmarks: landmarks, trackID: roi.trackID))
            } else {
                lost = true
            }
        }
        let detect = lost || tracker.needsDetection(frameIndex: frame.index)
        var detections: [FaceDetection] = []
        if detect {
            detections = frame.measure("detect") { detector.detect(in: image) }
            // Faces already landmarked from their track's ROI keep that (steadier) crop.
            let tracked = candidates.map { BoundingBox(bounding: $0.landmarks?.points2D ?? []) }
            for detection in detections where !tracked.contains(where: { $0.contains(detection.box.center) }) {
                let roi = FaceLandmarker.roi(from: detection)
                let landmarks = frame.measure("landmarks") { landmarker.landmarks(in: image, detected: roi) }
                if let landmarks { candidates.append(FaceCandidate(box: detection.box, landmarks: landmarks)) }
            }
        }
        let faces = frame.measure("track") {
            tracker.update(candidates: candidates, frameIndex: frame.index, time: frame.time,
                           frameSize: SIMD2(Float(image.width), Float(image.height)), detected: detect)
        }
        frame[attachment: FaceAnalysis.self] = FaceAnalysis(faces: faces, detected: detect, detections: detections)
    }
}
