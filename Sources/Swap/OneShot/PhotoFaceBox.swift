import Face
import Imaging
import Stream

/// The part of a photo a load-time pass over its face works in: the face oval's bounding box grown by a margin
/// (room for the pass's widest window), clamped to the photo, with the landmarks in its coordinates.
struct PhotoFaceBox: Sendable {
    /// Top-left corner in the photo and size, pixels.
    let x0: Int, y0: Int, width: Int, height: Int
    /// Width of the face oval, pixels.
    let faceWidth: Float
    /// The 468 landmarks relative to (`x0`, `y0`).
    let local: [SIMD2<Float>]

    /// nil without 468 landmarks, for a face under 9 pixels wide, or a box off the photo.
    ///
    /// - Parameter margin: growth on every side, as a share of the face width.
    init?(photo: RGBImage, landmarks: [SIMD2<Float>], margin: Float) {
        guard landmarks.count == FaceMeshTopology.pointCount else { return nil }
        let oval = BoundingBox(bounding: FaceMeshTopology.faceOval.map { landmarks[$0] })
        guard oval.width > 8 else { return nil }
        let pad = margin * oval.width
        let x0 = max(0, Int((oval.x - pad).rounded(.down))), y0 = max(0, Int((oval.y - pad).rounded(.down)))
        let x1 = min(photo.width - 1, Int((oval.x + oval.width + pad).rounded(.up)))
        let y1 = min(photo.height - 1, Int((oval.y + oval.height + pad).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return nil }
        (self.x0, self.y0, width, height) = (x0, y0, x1 - x0 + 1, y1 - y0 + 1)
        faceWidth = oval.width
        let origin = SIMD2(Float(x0), Float(y0))
        local = landmarks.map { $0 - origin }
    }

    /// The landmarks of `ring` (mesh indices) in the box's coordinates.
    func points(_ ring: [Int]) -> [SIMD2<Float>] { ring.map { local[$0] } }

    /// The face oval filled over the box.
    var oval: AlphaMask { PolygonRasterizer.fill(points(FaceMeshTopology.faceOval), width: width, height: height) }

    /// `rings` filled over the box and grown by `margin` of the face width (at least a pixel): features a pass
    /// leaves out of the skin, with their lashes, liner and soft edges.
    func features(_ rings: [[Int]] = FaceMeshTopology.featureRings, grownBy margin: Float) -> AlphaMask {
        FaceMeshTopology.featureMask(rings, on: local, width: width, height: height, grownBy: margin, faceWidth: faceWidth)
    }
}
