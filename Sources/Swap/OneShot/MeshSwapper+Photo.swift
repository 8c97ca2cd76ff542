import Face
import Imaging
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
    /// Both detectors are tried (short range suits portraits, full range small faces), then the full range one on
    /// tiles about 512 pixels wide as well (a group photo's faces are too small for one pass over it); the
    /// landmarks are refined once from their own ROI, as tracking would on video.
    public static func fromPhoto(_ path: String, landmarker: FaceLandmarker, locator: ModelLocator,
                                 options: Options = Options()) throws -> MeshSwapper {
        guard let frame = try MediaSource(path).nextFrame() else { throw SwapSetupError.noFaceInPhoto(path) }
        let photo = try frame.image
        let tiles = TileGrid(columns: (photo.width + 511) / 512, rows: (photo.height + 511) / 512)
        var passes: [(FaceDetector.Model, TileGrid?)] = [(.shortRange, nil), (.fullRange, nil)]
        if tiles.columns * tiles.rows > 1 { passes.append((.fullRange, tiles)) }
        for (model, tiles) in passes {
            let detector = try FaceDetector(model: model, options: FaceDetector.Options(tiles: tiles), locator: locator)
            guard let face = detector.detect(in: photo).first,
                  var landmarks = landmarker.landmarks(in: photo, roi: FaceLandmarker.roi(from: face))
            else { continue }
            if let refined = landmarker.landmarks(in: photo, roi: FaceLandmarker.roi(from: landmarks)) {
                landmarks = refined
            }
            // FaceMesh's outer lip ring can fall inside a photo's lips (lipstick, full lips); what lies beyond it
            // would land on the target's skin (``PhotoLipFit``).
            landmarks = options.lipFit.fitted(landmarks, in: photo)
            // A photo's face is usually enlarged onto the target (the shipped one ≈ 3×), which magnifies its
            // compression blocks and sensor noise into blotches; an edge-preserving pass removes them once and
            // leaves lids, lips and brows sharp.
            // Then the skin's own blotches and tint (freckles, ruddy cheeks) go, which the relighting would keep as
            // detail (``PhotoSkinEvening``).
            // The photo's own side light goes too (``PhotoSideLight``): the relighting keeps its mid-scale shading.
            let filtered = photo.bilateralFiltered(radius: 2, spatialSigma: 1.5, rangeSigma: 6)
            let evenlyLit = options.sideLight.apply(to: filtered, landmarks: landmarks.points2D)
            let texture = options.skinEvening.apply(to: evenlyLit, landmarks: landmarks.points2D)
            return try MeshSwapper(source: texture, sourceLandmarks: landmarks, options: options)
        }
        throw SwapSetupError.noFaceInPhoto(path)
    }
}
