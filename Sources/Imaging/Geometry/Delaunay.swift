/// Delaunay triangulation of planar points (Bowyer–Watson).
public enum Delaunay {
    /// Triangles as index triples into `points`, each counter-clockwise on screen (y down: clockwise in maths
    /// orientation flips, so the signed area `cross(b − a, c − a)` is positive). O(n²); meant for a few hundred
    /// points. Duplicate points are not supported.
    public static func triangulate(_ points: [SIMD2<Float>]) -> [SIMD3<Int>] {
        let n = points.count
        guard n >= 3 else { return [] }
        var pts = points.map { SIMD2<Double>($0) }
        // A super-triangle far outside every point.
        let lo = pts.reduce(SIMD2(repeating: Double.infinity)) { pointwiseMin($0, $1) }
        let hi = pts.reduce(SIMD2(repeating: -Double.infinity)) { pointwiseMax($0, $1) }
        let mid = (lo + hi) / 2, span = max(hi.x - lo.x, hi.y - lo.y) * 20 + 1
        pts.append(mid + SIMD2(-span, -span))
        pts.append(mid + SIMD2(span, -span))
        pts.append(mid + SIMD2(0, span))

        var tris: [Circumscribed] = [Circumscribed(n, n + 1, n + 2, pts)]
        var edges: [SIMD2<Int>] = []
        for i in 0..<n {
            let p = pts[i]
            edges.removeAll(keepingCapacity: true)
            var kept: [Circumscribed] = []
            kept.reserveCapacity(tris.count + 2)
            for t in tris {
                if t.containsInCircle(p) {
                    edges.append(SIMD2(t.v.x, t.v.y))
                    edges.append(SIMD2(t.v.y, t.v.z))
                    edges.append(SIMD2(t.v.z, t.v.x))
                } else {
                    kept.append(t)
                }
            }
            // The hole's boundary: edges used by exactly one removed triangle.
            var count: [SIMD2<Int>: Int] = [:]
            for e in edges { count[SIMD2(min(e.x, e.y), max(e.x, e.y)), default: 0] += 1 }
            for e in edges where count[SIMD2(min(e.x, e.y), max(e.x, e.y))] == 1 {
                kept.append(Circumscribed(e.x, e.y, i, pts))
            }
            tris = kept
        }
        return tris.compactMap { t in
            guard t.v.x < n, t.v.y < n, t.v.z < n else { return nil }
            return t.v
        }
    }

    /// A triangle with its circumcircle, vertices reordered to positive signed area.
    private struct Circumscribed {
        var v: SIMD3<Int>
        var centre: SIMD2<Double>
        var radius2: Double

        init(_ a: Int, _ b: Int, _ c: Int, _ pts: [SIMD2<Double>]) {
            let (pa, pb, pc) = (pts[a], pts[b], pts[c])
            let cross = (pb.x - pa.x) * (pc.y - pa.y) - (pb.y - pa.y) * (pc.x - pa.x)
            v = cross >= 0 ? SIMD3(a, b, c) : SIMD3(a, c, b)
            let d = 2 * cross
            let b2 = pb - pa, c2 = pc - pa
            let bb = (b2 * b2).sum(), cc = (c2 * c2).sum()
            let ux = (c2.y * bb - b2.y * cc) / d, uy = (b2.x * cc - c2.x * bb) / d
            centre = pa + SIMD2(ux, uy)
            radius2 = ux * ux + uy * uy
        }

        func containsInCircle(_ p: SIMD2<Double>) -> Bool {
            let d = p - centre
            return (d * d).sum() < radius2 * (1 - 1e-12)
        }
    }
}
