import Face
import Stream

/// Errors met while preparing a swap (the identity photo, the model).
public enum SwapSetupError: Error, Equatable, CustomStringConvertible {
    /// The identity photo holds no face the detector and landmarker agree on.
    case noFaceInPhoto(String)

    public var description: String {
        switch self {
        case .noFaceInPhoto(let path):
            return "no face found in \(path): use a clear, roughly frontal photo of one face"
        }
    }
}

extension MeshSwapper {
    /// A mesh swapper for the largest face on a photo (PNG/JPEG, anything FFmpeg decodes).
    ///
    /// Both detectors are tried (short range suits portraits, full range small faces); the landmarks are refined
    /// once from their own ROI, as tracking would on video.
    public static func fromPhoto(_ path: String, landmarker: FaceLandmarker, locator: ModelLocator,
                                 options: Options = Options()) throws -> MeshSwapper {
        guard let frame = try MediaSource(path).nextFrame() else { throw SwapSetupError.noFaceInPhoto(path) }
        let photo = try frame.image
        for model in [FaceDetector.Model.shortRange, .fullRange] {
            let detector = try FaceDetector(model: model, locator: locator)
            guard let face = detector.detect(in: photo).first,
                  var landmarks = landmarker.landmarks(in: photo, roi: FaceLandmarker.roi(from: face))
            else { continue }
            if let refined = landmarker.landmarks(in: photo, roi: FaceLandmarker.roi(from: landmarks)) {
                landmarks = refined
            }
            return try MeshSwapper(source: photo, sourceLandmarks: landmarks, options: options)
        }
        throw SwapSetupError.noFaceInPhoto(path)
    }
}
