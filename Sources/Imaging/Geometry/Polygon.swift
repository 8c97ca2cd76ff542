/// Small polygon helpers.
public enum Polygon {
    /// Whether `p` is inside `polygon` (even-odd rule).
    public static func contains(_ polygon: [SIMD2<Float>], _ p: SIMD2<Float>) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            let a = polygon[i], b = polygon[j]
            if (a.y > p.y) != (b.y > p.y), p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) { inside.toggle() }
            j = i
        }
        return inside
    }

    /// How far `p` lies outside `polygon`: 0 inside (even-odd rule), else the distance to its nearest edge.
    public static func distance(_ polygon: [SIMD2<Float>], _ p: SIMD2<Float>) -> Float {
        guard !polygon.isEmpty else { return .infinity }
        // One pass for both: the even-odd crossings and the nearest edge.
        var inside = false
        var nearest = Float.infinity
        var j = polygon.count - 1
        for i in polygon.indices {
            let a = polygon[i], b = polygon[j]
            if (a.y > p.y) != (b.y > p.y), p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) { inside.toggle() }
            let edge = b - a
            let t = min(max(((p - a) * edge).sum() / max((edge * edge).sum(), 1e-12), 0), 1)
            let d = p - (a + t * edge)
            nearest = min(nearest, (d * d).sum())
            j = i
        }
        return inside ? 0 : nearest.squareRoot()
    }
}
