import Imaging

/// Where palm detection looks.
public enum HandSearchArea: Sendable, Equatable {
    /// Only around faces: a square of `scale` × the face's longer side on each face, so hands far from every face
    /// cost nothing (occlusion only needs hands that can cover a face).
    case nearFaces(scale: Float)
    /// The whole frame (what `facelive detect` reports), plus the squares around faces, where small hands show larger.
    case wholeFrame(faceScale: Float)

    /// A hand's palm centre within about one face size of the face's edge can put fingers over it.
    public static let occlusion = HandSearchArea.nearFaces(scale: 3.5)

    /// The regions to search on a `width`×`height` frame holding faces with `faceBoxes`, cut to the frame (the
    /// detector letterboxes what is left of a square at the frame's edge).
    public func regions(faceBoxes: [BoundingBox], width: Int, height: Int) -> [BoundingBox] {
        let scale: Float
        var regions: [BoundingBox] = []
        switch self {
        case .nearFaces(let s):
            scale = s
        case .wholeFrame(let s):
            scale = s
            regions.append(BoundingBox(x: 0, y: 0, width: Float(width), height: Float(height)))
        }
        for face in faceBoxes {
            let side = max(face.width, face.height) * scale
            let c = face.center
            let x0 = max(0, c.x - side / 2), y0 = max(0, c.y - side / 2)
            let x1 = min(Float(width), c.x + side / 2), y1 = min(Float(height), c.y + side / 2)
            if x1 - x0 >= 1 && y1 - y0 >= 1 { regions.append(BoundingBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0)) }
        }
        return regions
    }

    /// Whether a hand with box `hand` still matters: it overlaps one of `regions`.
    public static func matters(_ hand: BoundingBox, regions: [BoundingBox]) -> Bool {
        regions.contains { r in
            hand.x < r.x + r.width && r.x < hand.x + hand.width && hand.y < r.y + r.height && r.y < hand.y + hand.height
        }
    }
}
