import Face
import Imaging
import Stream
import TestSupport
@testable import Swap

/// The committed public-domain astronaut portrait (the shipped default face) and its face's landmarks, found once.
enum AstronautPhoto {
    static let image = try! TestResources.image("astronaut_public_domain.png")
    static let landmarks: FaceLandmarks = {
        let detector = try! FaceDetector(model: .fullRange, graph: TestResources.graphs[.fullRangeDetector]!)
        let detection = detector.detect(in: image).first!
        let landmarker = try! FaceLandmarker(graph: TestResources.graphs[.landmarks]!)
        return landmarker.landmarks(in: image, roi: FaceLandmarker.roi(from: detection))!
    }()

    /// `photo` (the astronaut, altered, with her landmarks) swapped onto the astronaut herself: what the mesh
    /// swapper hands the merger about the photo.
    static func swapped(from photo: RGBImage) throws -> SwappedFace? {
        try MeshSwapper(source: photo, sourceLandmarks: landmarks).swap(FaceSwapInput(frame: image, landmarks: landmarks))
    }
}
