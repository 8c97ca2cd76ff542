import Imaging

/// Ordered outlines of the features a face's shading must not be read from (brows, eyes, lips).
extension FaceMeshTopology {
    /// Right eyebrow as a ring: lower edge out to in, upper edge back (`FACEMESH_RIGHT_EYEBROW` edges).
    public static let rightEyebrowRing: [Int] = [46, 53, 52, 65, 55, 107, 66, 105, 63, 70]
    /// Left eyebrow as a ring (`FACEMESH_LEFT_EYEBROW` edges).
    public static let leftEyebrowRing: [Int] = [276, 283, 282, 295, 285, 336, 296, 334, 293, 300]
    /// Outer lip ring, ordered (`FACEMESH_LIPS` outer contour).
    public static let outerLips: [Int] = [
        61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185,
    ]
    /// The skin between the nose and the upper lip, out past the mouth's corners, where a moustache grows: from the
    /// right corner out and up round the nostrils' base to the left corner, back along the upper lip.
    public static let upperLipSkin: [Int] = [
        61, 57, 186, 92, 165, 98, 2, 327, 391, 322, 410, 287, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185,
    ]
    /// The folds from the nostrils' wings down to the mouth's corners (right, left), where a smile creases the
    /// cheek: each from beside the nostril's wing down its outer side and back up along the upper lip's skin
    /// (``upperLipSkin``'s outer edge).
    public static let smileFolds: [[Int]] = [
        [129, 203, 206, 216, 212, 57, 186, 92, 165, 98],
        [358, 423, 426, 436, 432, 287, 410, 322, 391, 327],
    ]
    /// The width of the face oval's bounding box on a face with these 468 landmarks: the face width the passes
    /// over a face scale by.
    public static func ovalWidth(_ points: [SIMD2<Float>]) -> Float {
        BoundingBox(bounding: faceOval.map { points[$0] }).width
    }
    /// The brows' upper edges (right, left), each from its outer end to its inner end.
    public static let browUpperEdges: [[Int]] = [[70, 63, 105, 66, 107], [300, 293, 334, 296, 336]]
    /// On a face with these 468 landmarks: the midpoint between the brows' centres, and the face's own up direction
    /// (from the outer lips' centre to there, unit length).
    public static func browLine(_ points: [SIMD2<Float>]) -> (point: SIMD2<Float>, up: SIMD2<Float>) {
        func centre(_ ring: [Int]) -> SIMD2<Float> { ring.map { points[$0] }.reduce(.zero, +) / Float(ring.count) }
        let point = (centre(rightEyebrowRing) + centre(leftEyebrowRing)) / 2
        let up = point - centre(outerLips)
        return (point, up / max((up * up).sum().squareRoot(), 1e-6))
    }
    /// Rings of brows, eyes and lips.
    public static let featureRings: [[Int]] = [rightEyebrowRing, leftEyebrowRing, rightEye, leftEye, outerLips]
}
