/// Landmark groups used by alignment, masking and the mesh swap (MediaPipe `face_mesh_connections`).
extension FaceMeshTopology {
    /// Inner lip ring, ordered (the mouth opening): `FACEMESH_LIPS` inner contour.
    public static let innerLips: [Int] = [
        78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191,
    ]
    /// All 40 lip points (`FACEMESH_LIPS`).
    public static let lips: [Int] = [
        0, 13, 14, 17, 37, 39, 40, 61, 78, 80, 81, 82, 84, 87, 88, 91, 95, 146, 178, 181, 185, 191, 267, 269, 270, 291,
        308, 310, 311, 312, 314, 317, 318, 321, 324, 375, 402, 405, 409, 415,
    ]
    /// The two rings of lip points between ``innerLips`` and ``outerLips``, inner first, each in their order: point
    /// k of the four rings lies on one line across the lip.
    public static let middleLips: [[Int]] = [
        [62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292, 407, 272, 271, 268, 12, 38, 41, 42, 183],
        [76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 408, 304, 303, 302, 11, 72, 73, 74, 184],
    ]
    /// Right eyebrow (`FACEMESH_RIGHT_EYEBROW`).
    public static let rightEyebrow: [Int] = [46, 52, 53, 55, 63, 65, 66, 70, 105, 107]
    /// Left eyebrow (`FACEMESH_LEFT_EYEBROW`).
    public static let leftEyebrow: [Int] = [276, 282, 283, 285, 293, 295, 296, 300, 334, 336]

    /// Points that move with expressions: lips, brows, and everything the jaw carries (every point of the canonical
    /// face below the upper-lip line). Alignment leaves them out so that talking does not shake the crop.
    public static let movingParts: Set<Int> = {
        let jawLine = CanonicalFace.points3D[upperLipTop].y + 0.2
        var moving = Set(lips + rightEyebrow + leftEyebrow)
        for (i, p) in CanonicalFace.points3D.enumerated() where p.y < jawLine { moving.insert(i) }
        return moving
    }()

    /// The points that stay put on a talking face (complement of ``movingParts``), ascending.
    public static let stablePoints: [Int] = (0..<pointCount).filter { !movingParts.contains($0) }

    /// Top of the upper lip on the midline.
    public static let upperLipTop = 0
}
