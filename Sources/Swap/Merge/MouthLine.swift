/// The line through the mouth's corners, which parts the upper lip's side from the lower lip's.
struct MouthLine {
    /// The right corner and the direction to the left one.
    private let right: SIMD2<Float>, across: SIMD2<Float>
    /// The side the upper lip lies on.
    private let upperSide: Bool

    /// - Parameter outer: the outer lip ring (``FaceMeshTopology/outerLips``): the right corner first, the left one
    ///   halfway round and the upper lip's middle three quarters of the way.
    init(outer: [SIMD2<Float>]) {
        precondition(outer.count >= 4, "a lip ring has at least four points")
        (right, across) = (outer[0], outer[outer.count / 2] - outer[0])
        upperSide = Self.side(outer[outer.count * 3 / 4], right: right, across: across)
    }

    /// Whether `p` lies on the upper lip's side of the line (on the line counts as the upper side).
    func isUpper(_ p: SIMD2<Float>) -> Bool { Self.side(p, right: right, across: across) == upperSide }

    private static func side(_ p: SIMD2<Float>, right: SIMD2<Float>, across: SIMD2<Float>) -> Bool {
        across.x * (p.y - right.y) - across.y * (p.x - right.x) >= 0
    }
}
