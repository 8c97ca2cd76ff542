import Imaging
/// The triangle mesh the one-shot swap warps with: a Delaunay triangulation of the canonical face layout, without
/// the triangles that close the eyes and the mouth (those stay the target's) and without hull triangles outside the
/// face oval.
public enum FaceMeshTriangulation {
    /// Index triples into the 468 landmarks.
    public static let triangles: [SIMD3<Int>] = build(layout: CanonicalFace.imageLayout)

    /// A coarse mesh over the whole oval, eyes and mouth included, for maps too smooth to need the full mesh's 900
    /// triangles (the relighting's mirror of its shading): a Delaunay triangulation of the landmarks about 8 % of the
    /// face's width apart in the canonical layout, the oval's all kept and every point with its mirror image
    /// (``FaceMeshTopology/mirrored``), so the mesh is its own mirror. Index triples into the 468 landmarks.
    public static let coarse: [SIMD3<Int>] = {
        let layout = CanonicalFace.imageLayout
        let oval = FaceMeshTopology.faceOval
        let spacing = 0.08 * BoundingBox(bounding: oval.map { layout[$0] }).width
        var kept: [Int] = []
        func isFar(_ i: Int) -> Bool {
            kept.allSatisfy { let d = layout[$0] - layout[i]; return (d * d).sum() >= spacing * spacing }
        }
        for i in oval where !kept.contains(i) { kept.append(i) }
        for i in layout.indices where !kept.contains(i) && isFar(i) && isFar(FaceMeshTopology.mirrored[i]) {
            kept.append(i)
            if !kept.contains(FaceMeshTopology.mirrored[i]) { kept.append(FaceMeshTopology.mirrored[i]) }
        }
        return triangulate(kept, layout: layout)
    }()

    /// Polygons (landmark index rings) that the mesh leaves open.
    public static let holes: [[Int]] = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye, FaceMeshTopology.innerLips]

    static func build(layout: [SIMD2<Float>]) -> [SIMD3<Int>] {
        let holeSets = holes.map(Set.init)
        let holePolygons = holes.map { $0.map { layout[$0] } }
        return triangulate(Array(layout.indices), layout: layout) { t, centroid in
            for (ring, polygon) in zip(holeSets, holePolygons) {
                if ring.contains(t.x) && ring.contains(t.y) && ring.contains(t.z) { return false }
                if Polygon.contains(polygon, centroid) { return false }
            }
            return true
        }
    }

    /// The Delaunay triangles over the landmarks `points` of `layout` (as landmark index triples) whose centroid lies
    /// inside the face oval and that `keep` accepts (given the triangle and its centroid).
    private static func triangulate(_ points: [Int], layout: [SIMD2<Float>],
                                    keep: (SIMD3<Int>, SIMD2<Float>) -> Bool = { _, _ in true }) -> [SIMD3<Int>] {
        let oval = FaceMeshTopology.faceOval.map { layout[$0] }
        return Delaunay.triangulate(points.map { layout[$0] }).compactMap { local in
            let t = SIMD3(points[local.x], points[local.y], points[local.z])
            let centroid = (layout[t.x] + layout[t.y] + layout[t.z]) / 3
            return Polygon.contains(oval, centroid) && keep(t, centroid) ? t : nil
        }
    }
}
