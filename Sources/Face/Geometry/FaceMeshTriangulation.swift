import Imaging
/// The triangle mesh the one-shot swap warps with: a Delaunay triangulation of the canonical face layout, without
/// the triangles that close the eyes and the mouth (those stay the target's) and without hull triangles outside the
/// face oval.
public enum FaceMeshTriangulation {
    /// Index triples into the 468 landmarks.
    public static let triangles: [SIMD3<Int>] = build(layout: CanonicalFace.imageLayout)

    /// Polygons (landmark index rings) that the mesh leaves open.
    public static let holes: [[Int]] = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye, FaceMeshTopology.innerLips]

    static func build(layout: [SIMD2<Float>]) -> [SIMD3<Int>] {
        let holeSets = holes.map(Set.init)
        let holePolygons = holes.map { $0.map { layout[$0] } }
        let oval = FaceMeshTopology.faceOval.map { layout[$0] }
        return Delaunay.triangulate(layout).filter { t in
            let centroid = (layout[t.x] + layout[t.y] + layout[t.z]) / 3
            if !Polygon.contains(oval, centroid) { return false }
            for (ring, polygon) in zip(holeSets, holePolygons) {
                if ring.contains(t.x) && ring.contains(t.y) && ring.contains(t.z) { return false }
                if Polygon.contains(polygon, centroid) { return false }
            }
            return true
        }
    }
}
