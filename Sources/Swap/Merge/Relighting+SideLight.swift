import Face
import Imaging

extension Relighting {
    /// Per cell, the antisymmetric part of `difference` across the face's midline: (d − d mirrored) / 2, where the
    /// mirror takes each triangle of the coarse mesh over the landmarks (`mesh`, 468 points in cell coordinates;
    /// ``FaceMeshTriangulation/coarse``) from its mirror triangle (``FaceMeshTopology/mirrored``). 0 where no triangle facing the
    /// viewer covers a cell; nil without a mesh.
    ///
    /// A face is close to symmetric, its light need not be: the antisymmetric part of the target's shading is mostly
    /// the scene's side light (the nose's shadow side, the darker cheek), the symmetric part mostly its face's shape
    /// in light. ``sideLight`` gives the new face the first and leaves it the second.
    static func antisymmetric(_ difference: [Float], mesh: [SIMD2<Float>], width: Int, height: Int) -> [Float]? {
        guard mesh.count == FaceMeshTopology.pointCount else { return nil }
        let plane = AlphaMask(width: width, height: height, values: difference)
        var mirror = plane
        TriangleWarp.warp(plane, sourcePoints: FaceMeshTopology.mirrored.map { mesh[$0] },
                          triangles: FaceMeshTriangulation.coarse, targetPoints: mesh, into: &mirror,
                          clip: AlphaMask(width: width, height: height, value: 1))
        return difference.indices.map { 0.5 * (difference[$0] - mirror.values[$0]) }
    }
}
