import Foundation
import Stream
import TestSupport
@testable import Face
@testable import Swap

/// A frame of a shared clip (../shared/media/video) and its largest face's landmarks, as a photo is landmarked when it
/// is loaded (found, then recut from the landmarks' own box).
enum SharedClipFace {
    /// The clip's path, whether or not ../shared is present.
    static func path(_ clip: String) -> URL {
        TestResources.shared.appendingPathComponent("media/video/\(clip).mp4")
    }

    static func isPresent(_ clip: String) -> Bool { FileManager.default.fileExists(atPath: path(clip).path) }

    /// Frame `index` of `clip` and its face's 468 landmarks; nil when no face is found.
    static func face(_ clip: String, frame index: Int) throws -> (image: RGBImage, landmarks: FaceLandmarks)? {
        let source = try MediaSource(path(clip).path)
        var image: RGBImage?
        for _ in 0...index { image = try source.nextFrame()?.image }
        guard let frame = image else { return nil }
        let detector = try FaceDetector(model: .shortRange, graph: TestResources.graphs[.shortRangeDetector]!)
        let landmarker = try FaceLandmarker(graph: TestResources.graphs[.landmarks]!)
        guard let face = detector.detect(in: frame).first,
              let first = landmarker.landmarks(in: frame, roi: FaceLandmarker.roi(from: face)),
              let mesh = landmarker.landmarks(in: frame, roi: FaceLandmarker.roi(from: first)) else { return nil }
        return (frame, mesh)
    }
}
