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
            return try loaded(photo, landmarks: landmarks, options: options)
        }
        throw SwapSetupError.noFaceInPhoto(path)
    }

    /// A mesh swapper for the face at `landmarks` on `photo`, which is made ready once here.
    static func loaded(_ photo: RGBImage, landmarks: FaceLandmarks, options: Options) throws -> MeshSwapper {
        // A phone's photo is many times its face, and the filter below passed over every pixel (most of a
        // 12-megapixel photo's 3 s load): what follows works on the face and the room round it.
        var landmarks = landmarks
        let region = faceRegion(of: photo, landmarks: &landmarks)
        // A photo's face is usually enlarged onto the target (the shipped one ≈ 3×), which magnifies its
        // compression blocks and sensor noise into blotches; an edge-preserving pass removes them once and
        // leaves lids, lips and brows sharp.
        // Then the skin's own blotches and tint (freckles, ruddy cheeks) go, which the relighting would keep as
        // detail (``PhotoSkinEvening``).
        // The photo's own side light goes too (``PhotoSideLight``): the relighting keeps its mid-scale shading.
        // A close-up's face halved is filtered whole; otherwise the region, its neighbours read from the photo.
        let (image, part) = halvedForSwap(photo, region: region, landmarks: &landmarks)
            .map { ($0, (x: 0, y: 0, width: $0.width, height: $0.height)) } ?? (photo, region)
        let filtered = image.bilateralFiltered(radius: 2, spatialSigma: 1.5, rangeSigma: 6, x: part.x, y: part.y,
                                               width: part.width, height: part.height)
        let evenlyLit = options.sideLight.apply(to: filtered, landmarks: landmarks.points2D)
        let texture = options.skinEvening.apply(to: evenlyLit, landmarks: landmarks.points2D)
        return try MeshSwapper(source: texture, sourceLandmarks: landmarks, options: options)
    }

    /// The widest photo face (face-oval width, pixels) prepared at the photo's own resolution: three times the
    /// widest face the swap draws (``Options/maxFaceWidth``, 256). A close-up selfie's face is 1000–2000 pixels wide,
    /// and the load-time passes' cost grows with its area; the shared portraits' faces are 94–441 pixels wide.
    static let widestPreparedFace: Float = 768

    /// `region` of `photo` halved (``MipmappedImage/halved(_:)``) until the face at `landmarks` (in the region, moved
    /// and scaled with it) is at most ``widestPreparedFace`` wide; nil for a face that already is.
    static func halvedForSwap(_ photo: RGBImage, region: (x: Int, y: Int, width: Int, height: Int),
                              landmarks: inout FaceLandmarks) -> RGBImage? {
        var width = FaceMeshTopology.ovalWidth(landmarks.points2D)
        guard width > widestPreparedFace else { return nil }
        var image = photo.cropped(x: region.x, y: region.y, width: region.width, height: region.height)
        while width > widestPreparedFace, min(image.width, image.height) >= 4 {
            image = MipmappedImage.halved(image)
            // Halved pixel i sits at 2i + 0.5 of the image before.
            landmarks.points = landmarks.points.map { SIMD3(($0.x - 0.5) / 2, ($0.y - 0.5) / 2, $0.z / 2) }
            width /= 2
        }
        return image
    }

    /// The part of a photo any pass over its face reads: the face oval's box grown by half a face width and 8 pixels
    /// (the widest load-time window reaches 0.36 of it), its corners on a 64-pixel grid, so the mipmaps built from it
    /// (halved 2 × 2 from the corner) hold the same pixels as the whole photo's but for the coarsest levels' edges
    /// (their filter reads a pixel past each block). `landmarks` are moved into it.
    static func faceRegion(of photo: RGBImage, landmarks: inout FaceLandmarks) -> (x: Int, y: Int, width: Int, height: Int) {
        let whole = (x: 0, y: 0, width: photo.width, height: photo.height)
        let points = landmarks.points2D
        guard points.count == FaceMeshTopology.pointCount else { return whole }
        let oval = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] })
        let pad = 0.5 * oval.width + 8
        let grid = 64
        let x0 = max(0, Int((oval.x - pad).rounded(.down))) / grid * grid
        let y0 = max(0, Int((oval.y - pad).rounded(.down))) / grid * grid
        let x1 = min(photo.width, (Int((oval.x + oval.width + pad).rounded(.up)) + grid - 1) / grid * grid)
        let y1 = min(photo.height, (Int((oval.y + oval.height + pad).rounded(.up)) + grid - 1) / grid * grid)
        guard x1 > x0, y1 > y0 else { return whole }
        let corner = SIMD3(Float(x0), Float(y0), 0)
        landmarks.points = landmarks.points.map { $0 - corner }
        return (x0, y0, x1 - x0, y1 - y0)
    }
}
