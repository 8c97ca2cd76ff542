import Face

extension FaceMeshTriangulation {
    /// Whether moving the landmarks from `before` to `after` turns triangle `t` over or shrinks it below a quarter of
    /// its area: a photo's texture smeared over the target there (``PhotoLipFit``, ``TargetBrowOffset``).
    static func isSquashed(_ t: SIMD3<Int>, from before: [SIMD2<Float>], to after: [SIMD2<Float>]) -> Bool {
        func area(_ p: [SIMD2<Float>]) -> Float {
            let (a, b, c) = (p[t.x], p[t.y], p[t.z])
            return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        }
        let was = area(before)
        return was != 0 && area(after) / was < 0.25
    }
}
