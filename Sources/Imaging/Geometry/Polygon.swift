/// Small polygon helpers.
public enum Polygon {
    /// Whether `p` is inside `polygon` (even-odd rule).
    public static func contains(_ polygon: [SIMD2<Float>], _ p: SIMD2<Float>) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in polygon.indices {
            if crosses(polygon[i], polygon[j], p) { inside.toggle() }
            j = i
        }
        return inside
    }

    /// Whether the edge `a`–`b` crosses the ray from `p` to the right (the even-odd rule's count).
    @inline(__always) private static func crosses(_ a: SIMD2<Float>, _ b: SIMD2<Float>, _ p: SIMD2<Float>) -> Bool {
        (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
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
            if crosses(a, b, p) { inside.toggle() }
            let edge = b - a
            let t = min(max(((p - a) * edge).sum() / max((edge * edge).sum(), 1e-12), 0), 1)
            let d = p - (a + t * edge)
            nearest = min(nearest, (d * d).sum())
            j = i
        }
        return inside ? 0 : nearest.squareRoot()
    }
}
