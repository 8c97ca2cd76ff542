/// The face's left–right symmetry on the mesh.
extension FaceMeshTopology {
    /// For each landmark, its mirror image across the face's midline (a midline point is its own): the canonical
    /// face's nearest vertex to (−x, y, z). The canonical face is symmetric, so this pairs right eye with left eye,
    /// right cheek with left cheek, and so on.
    public static let mirrored: [Int] = {
        let points = CanonicalFace.points3D
        return points.map { p in
            let q = SIMD3(-p.x, p.y, p.z)
            return points.indices.min { ((points[$0] - q) * (points[$0] - q)).sum() < ((points[$1] - q) * (points[$1] - q)).sum() }!
        }
    }()
}
