import Face
import Imaging

extension Relighting {
    /// Per cell, the antisymmetric part of `difference` across the face's midline: (d − d mirrored) / 2, where the
    /// mirror takes each triangle of a coarse mesh over the landmarks (`mesh`, 468 points in cell coordinates;
    /// ``midlineMesh``) from its mirror triangle (``FaceMeshTopology/mirrored``). 0 where no triangle facing the
    /// viewer covers a cell; nil without a mesh.
    ///
    /// A face is close to symmetric, its light need not be: the antisymmetric part of the target's shading is mostly
    /// the scene's side light (the nose's shadow side, the darker cheek), the symmetric part mostly its face's shape
    /// in light. ``sideLight`` gives the new face the first and leaves it the second.
    static func antisymmetric(_ difference: [Float], mesh: [SIMD2<Float>], width: Int, height: Int) -> [Float]? {
        guard mesh.count == FaceMeshTopology.pointCount else { return nil }
        let plane = AlphaMask(width: width, height: height, values: difference)
        var mirror = plane
        TriangleWarp.warp(plane, sourcePoints: FaceMeshTopology.mirrored.map { mesh[$0] }, triangles: midlineMesh,
                          targetPoints: mesh, into: &mirror, clip: AlphaMask(width: width, height: height, value: 1))
        return difference.indices.map { 0.5 * (difference[$0] - mirror.values[$0]) }
    }

    /// The mesh the mirror is taken on: a Delaunay triangulation of landmarks about 8 % of the face's width apart in
    /// the canonical layout (the oval's all kept, every point with its mirror image), inside the face oval. The
    /// shading it maps is smooth, and the full mesh's 900 triangles cost four times as much to set up.
    static let midlineMesh: [SIMD3<Int>] = {
        let layout = CanonicalFace.imageLayout
        let oval = FaceMeshTopology.faceOval
        let ovalPolygon = oval.map { layout[$0] }
        let spacing = 0.08 * BoundingBox(bounding: ovalPolygon).width
        var kept: [Int] = []
        func isFar(_ i: Int) -> Bool {
            kept.allSatisfy { let d = layout[$0] - layout[i]; return (d * d).sum() >= spacing * spacing }
        }
        for i in oval where !kept.contains(i) { kept.append(i) }
        for i in layout.indices where !kept.contains(i) && isFar(i) && isFar(FaceMeshTopology.mirrored[i]) {
            kept.append(i)
            if !kept.contains(FaceMeshTopology.mirrored[i]) { kept.append(FaceMeshTopology.mirrored[i]) }
        }
        return Delaunay.triangulate(kept.map { layout[$0] }).compactMap { t in
            let centroid = (layout[kept[t.x]] + layout[kept[t.y]] + layout[kept[t.z]]) / 3
            return Polygon.contains(ovalPolygon, centroid) ? SIMD3(kept[t.x], kept[t.y], kept[t.z]) : nil
        }
    }()
}
