import Imaging
import Neural
import Stream

/// Finds and tracks hands near the frame's faces and attaches a ``HandAnalysis`` and, when asked, the
/// ``FaceOcclusion`` their shapes make.
///
/// Runs after the face analysis stage. Palm detection runs only on the ``HandSearchArea``'s regions and only every
/// few frames (or right after a hand was lost); a found hand is followed by the landmark network alone, its crop
/// taken from its previous landmarks. With no face in the frame and no hand tracked, a frame costs nothing.
public final class HandTrackingStage: FrameProcessor {
    public let name = "hands"
    private let detector: PalmDetector
    private let landmarker: HandLandmarker
    private var tracker: HandTracker
    private let area: HandSearchArea
    private let shape: HandShape?
    /// Frames this stage processed: the tracker counts these, not input frame numbers, so frames a live pipeline
    /// dropped do not make palm detection run more often.
    private var processed = 0

    /// - Parameter shape: how hands are drawn into the ``FaceOcclusion``; nil attaches no occlusion.
    public init(detector: PalmDetector, landmarker: HandLandmarker, tracker: HandTracker = HandTracker(),
                area: HandSearchArea = .occlusion, shape: HandShape? = HandShape()) {
        self.detector = detector
        self.landmarker = landmarker
        self.tracker = tracker
        self.area = area
        self.shape = shape
    }

    public func process(_ frame: VideoFrame) throws {
        let faces = frame[attachment: FaceAnalysis.self]?.faces ?? []
        let image = try frame.image
        let regions = area.regions(faceBoxes: faces.map(\.box), width: image.width, height: image.height)
        let analysis = track(in: image, regions: regions, frame: frame)
        processed += 1
        frame[attachment: HandAnalysis.self] = analysis
        if let shape {
            let masks = frame.measure("occlusion") {
                analysis.hands.compactMap { shape.mask(for: $0.landmarks, frameWidth: image.width, frameHeight: image.height) }
            }
            frame[attachment: FaceOcclusion.self] = FaceOcclusion(masks: masks)
        }
    }

    private func track(in image: RGBImage, regions: [BoundingBox], frame: VideoFrame) -> HandAnalysis {
        guard !regions.isEmpty || !tracker.hands.isEmpty else { return HandAnalysis(hands: [], detected: false) }
        var candidates: [HandCandidate] = []
        var lost = false
        for (id, roi) in tracker.rois() {
            if let landmarks = frame.measure("hand-pts", { landmarker.landmarks(in: image, roi: roi) }) {
                candidates.append(HandCandidate(landmarks: landmarks, trackID: id))
            } else {
                lost = true
            }
        }
        let detect = !regions.isEmpty && (lost || tracker.needsDetection(frameIndex: processed))
        if detect {
            for region in regions {
                let palms = frame.measure("palms") { detector.detect(in: image, region: region) }
                for palm in palms where !tracker.covers(palm.box.center, in: candidates) {
                    let roi = HandLandmarker.roi(from: palm)
                    if let landmarks = frame.measure("hand-pts", { landmarker.landmarks(in: image, roi: roi) }) {
                        candidates.append(HandCandidate(landmarks: landmarks, palmScore: palm.score))
                    }
                }
            }
        }
        let hands = tracker.update(candidates: candidates, frameIndex: processed, time: frame.time, detected: detect) {
            HandSearchArea.matters($0, regions: regions)
        }
        return HandAnalysis(hands: hands, detected: detect, searchedRegions: detect ? regions : [])
    }
}
