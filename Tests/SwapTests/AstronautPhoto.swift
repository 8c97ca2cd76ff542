import Face
import Imaging
import Stream
import TestSupport

/// The committed public-domain astronaut portrait (the shipped default face) and its face's landmarks, found once.
enum AstronautPhoto {
    static let image = try! TestResources.image("astronaut_public_domain.png")
    static let landmarks: FaceLandmarks = {
        let detector = try! FaceDetector(model: .fullRange, graph: TestResources.graphs[.fullRangeDetector]!)
        let detection = detector.detect(in: image).first!
        let landmarker = try! FaceLandmarker(graph: TestResources.graphs[.landmarks]!)
        return landmarker.landmarks(in: image, roi: FaceLandmarker.roi(from: detection))!
    }()
}
