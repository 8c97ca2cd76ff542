import Imaging
/// The part of a face a one-shot swap may paint: the face oval pulled in at the sides and cut down to the upper
/// forehead, so that neither the photo's hair (fringes reach far below the oval's top) nor its background comes
/// along.
///
/// The outline is laid out once on the canonical face and each vertex is tied to the mesh triangle it falls in
/// (barycentric weights), so on a real face it follows pose and expression: raised brows lift the cut with them.
public struct SkinOutline: Sendable, Equatable {
    /// Canonical-face brow line (image layout, y down): the tops of the brows (landmarks 66, 105, 107, 9) lie on it.
    public static let browLineY: Float = -5.0

    /// Share of the forehead (brow line → oval top) the outline keeps; 0 = cut at the brows, 1 = the full oval.
    public var foreheadFraction: Float
    /// How far the outline is pulled towards the face centre, as a share of the oval (0 = on the oval).
    public var inset: Float

    /// The outline in the canonical image layout.
    public let canonical: [SIMD2<Float>]
    private let anchors: [Anchor]

    /// - Parameters:
    ///   - foreheadFraction: forehead kept above the brows, 0…1.
    ///   - inset: pull towards the face centre, 0…0.5.
    public init(foreheadFraction: Float = 0.3, inset: Float = 0.06) {
        self.foreheadFraction = min(max(foreheadFraction, 0), 1)
        self.inset = min(max(inset, 0), 0.5)
        let layout = CanonicalFace.imageLayout
        let centre = layout[FaceMeshTopology.noseTip]
        let (k, s) = (self.foreheadFraction, 1 - self.inset)
        canonical = FaceMeshTopology.faceOval.map { i in
            var p = centre + s * (layout[i] - centre)
            if p.y < Self.browLineY { p.y = Self.browLineY + k * (p.y - Self.browLineY) }
            return p
        }
        let triangles = Delaunay.triangulate(layout)
        anchors = canonical.map { Anchor(locating: $0, in: triangles, layout: layout) }
    }

    /// The outline on a face with these 468 landmarks (any coordinate space).
    public func polygon(on landmarks: [SIMD2<Float>]) -> [SIMD2<Float>] {
        precondition(landmarks.count == FaceMeshTopology.pointCount, "expected 468 landmarks")
        return anchors.map { $0.point(on: landmarks) }
    }

    /// A point as a barycentric combination of three landmarks.
    private struct Anchor: Sendable, Equatable {
        let indices: SIMD3<Int>
        let weights: SIMD3<Float>

        /// The triangle holding `p` (the nearest by barycentric overshoot when none does).
        init(locating p: SIMD2<Float>, in triangles: [SIMD3<Int>], layout: [SIMD2<Float>]) {
            var best = (indices: triangles[0], weights: SIMD3<Float>(1, 0, 0), outside: Float.infinity)
            for t in triangles {
                let (a, b, c) = (layout[t.x], layout[t.y], layout[t.z])
                let den = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y)
                guard abs(den) > 1e-9 else { continue }
                let u = ((b.y - c.y) * (p.x - c.x) + (c.x - b.x) * (p.y - c.y)) / den
                let v = ((c.y - a.y) * (p.x - c.x) + (a.x - c.x) * (p.y - c.y)) / den
                let w = SIMD3(u, v, 1 - u - v)
                let outside = -min(0, w.min())
                if outside < best.outside { best = (t, w, outside) }
                if outside == 0 { break }
            }
            indices = best.indices
            weights = best.weights
        }

        func point(on landmarks: [SIMD2<Float>]) -> SIMD2<Float> {
            weights.x * landmarks[indices.x] + weights.y * landmarks[indices.y] + weights.z * landmarks[indices.z]
        }
    }
}
