/// The part of an eye a swap keeps from the target: the opening and its upper lash line.
extension FaceMeshTopology {
    /// Right upper lid's second contour (`rightEyeUpper1`), inner → outer: facing ``rightEye``'s upper points
    /// 173 … 246 one by one, at about the lid crease.
    public static let rightEyeUpperCrease: [Int] = [190, 56, 28, 27, 29, 30, 247]
    /// Left upper lid's second contour (`leftEyeUpper1`), inner → outer: facing 398 … 466.
    public static let leftEyeUpperCrease: [Int] = [414, 286, 258, 257, 259, 260, 467]

    /// The eye opening within the lid ring `ring` (``rightEye`` or ``leftEye``) grown over its upper lash line:
    /// each upper point moved `reach` of the way to the `crease` point facing it (``rightEyeUpperCrease`` or
    /// ``leftEyeUpperCrease``); the corners and the lower lid stay. FaceMesh puts the upper ring on the lash roots,
    /// so a cut there leaves the target's lashes as a dark fringe against the new lid, and the photo's own lash
    /// line — enlarged to the target's face size — as a blurred brown band above it.
    public static func eyeWithLashes(_ ring: [Int], crease: [Int], on points: [SIMD2<Float>],
                                     reach: Float) -> [SIMD2<Float>] {
        // The ring runs: corner, 7 lower points, corner, 7 upper points inner → outer.
        precondition(ring.count == 16 && crease.count == 7, "an eye ring has 16 points, its crease 7")
        var polygon = ring.map { points[$0] }
        for k in 0..<7 {
            let (lid, fold) = (points[ring[9 + k]], points[crease[k]])
            polygon[9 + k] = lid + reach * (fold - lid)
        }
        return polygon
    }

    /// How open the eye with lid ring `ring` (``rightEye`` or ``leftEye``) is: lid to lid through the middle over
    /// corner to corner (an open eye about 0.25–0.4, a shut one under 0.05).
    public static func eyeOpening(_ ring: [Int], on points: [SIMD2<Float>]) -> Float {
        precondition(ring.count == 16, "an eye ring has 16 points")
        let length = { (a: Int, b: Int) in ((points[a] - points[b]) * (points[a] - points[b])).sum().squareRoot() }
        return length(ring[12], ring[4]) / max(length(ring[0], ring[8]), 1e-3)
    }
}
