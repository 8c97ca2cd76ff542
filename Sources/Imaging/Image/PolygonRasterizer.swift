/// Anti-aliased polygon fill.
public enum PolygonRasterizer {
    /// Sub-scanlines per pixel row; horizontal coverage is exact, vertical coverage comes in steps of 1/4.
    static let subRows = 4

    /// A `width`×`height` mask holding the area fraction of each pixel covered by `polygon` (even-odd rule).
    /// Pixel (i, j) is the unit square centred on (i, j).
    public static func fill(_ polygon: [SIMD2<Float>], width: Int, height: Int) -> AlphaMask {
        var mask = AlphaMask(width: width, height: height)
        fill(polygon, into: &mask)
        return mask
    }

    /// Adds the coverage of `polygon` to `mask` (values saturate at 1).
    public static func fill(_ polygon: [SIMD2<Float>], into mask: inout AlphaMask) {
        fill(polygon, into: &mask, origin: .zero)
    }

    /// Adds the coverage of `polygon` to `mask`, whose pixel (0, 0) is pixel `origin` of the polygon's canvas. The
    /// polygon keeps its canvas coordinates, so the coverage is bit for bit the whole canvas's.
    static func fill(_ polygon: [SIMD2<Float>], into mask: inout AlphaMask, origin: SIMD2<Int>) {
        guard polygon.count >= 3 else { return }
        let width = mask.width, height = mask.height
        let ys = polygon.map(\.y)
        let top = max(0, Int((ys.min()! + 0.5).rounded(.down)) - origin.y)
        let bottom = min(height - 1, Int((ys.max()! + 0.5).rounded(.down)) - origin.y)
        guard top <= bottom else { return }
        let share = 1 / Float(subRows)
        var row = [Float](repeating: 0, count: width)
        var crossings: [Float] = []
        crossings.reserveCapacity(polygon.count)
        func subRow(_ y: Int, _ s: Int) -> Float { Float(y + origin.y) - 0.5 + (Float(s) + 0.5) * share }
        // The edges by their lower end, and the ones that reach into the current row: a sub-row tests only those,
        // not every edge (a face's outline has dozens, a row crosses a few). The test and the crossing are the
        // edge's own, and crossings are sorted, so the spans are the same.
        var edges: [(p: SIMD2<Float>, q: SIMD2<Float>, low: Float, high: Float)] = []
        edges.reserveCapacity(polygon.count)
        var j = polygon.count - 1
        for i in polygon.indices {
            let p = polygon[i], q = polygon[j]
            edges.append((p, q, min(p.y, q.y), max(p.y, q.y)))
            j = i
        }
        edges.sort { $0.low < $1.low }
        var active: [Int] = []
        active.reserveCapacity(polygon.count)
        var next = 0
        mask.values.withUnsafeMutableBufferPointer { out in
            // Only the columns the last row's spans touched are cleared and merged (a face is a fraction of the width).
            var lo = width, hi = -1
            for y in top...bottom {
                if lo <= hi { for i in lo...hi { row[i] = 0 } }
                (lo, hi) = (width, -1)
                var touched = false
                // An edge crosses sub-row sy only if low <= sy < high.
                let (first, last) = (subRow(y, 0), subRow(y, subRows - 1))
                while next < edges.count, edges[next].low <= last {
                    active.append(next)
                    next += 1
                }
                active.removeAll { edges[$0].high <= first }
                for s in 0..<subRows {
                    let sy = subRow(y, s)
                    crossings.removeAll(keepingCapacity: true)
                    for e in active {
                        let (p, q) = (edges[e].p, edges[e].q)
                        if (p.y <= sy) != (q.y <= sy) {
                            crossings.append(p.x + (sy - p.y) / (q.y - p.y) * (q.x - p.x))
                        }
                    }
                    crossings.sort()
                    var k = 0
                    while k + 1 < crossings.count {
                        if let span = addSpan(crossings[k] + 0.5, crossings[k + 1] + 0.5, weight: share, to: &row,
                                              from: origin.x) {
                            (lo, hi) = (min(lo, span.first), max(hi, span.last))
                        }
                        touched = true
                        k += 2
                    }
                }
                guard touched, lo <= hi else { continue }
                let base = y * width
                for x in lo...hi where row[x] > 0 { out[base + x] = min(1, out[base + x] + row[x]) }
            }
        }
    }

    /// Adds `weight` × the overlap of [a, b) with each pixel [i, i + 1) of the canvas row whose pixel `x0` is
    /// `row[0]`; returns the first and last entry of `row` touched.
    private static func addSpan(_ a: Float, _ b: Float, weight: Float, to row: inout [Float],
                                from x0: Int) -> (first: Int, last: Int)? {
        let end = x0 + row.count
        let lo = max(a, Float(x0)), hi = min(b, Float(end))
        guard hi > lo else { return nil }
        // Coverage from the canvas coordinates (bit for bit the whole canvas's), written at the row's own indices.
        let i0 = Int(lo), i1 = Int(hi)
        let (j0, j1) = (i0 - x0, i1 - x0)
        if j0 == j1 {
            row[j0] += (hi - lo) * weight
            return (j0, j0)
        }
        row[j0] += (Float(i0 + 1) - lo) * weight
        if j0 + 1 < j1 { for j in (j0 + 1)..<j1 { row[j] += weight } }
        if j1 < row.count { row[j1] += (hi - Float(i1)) * weight }
        return (j0, min(j1, row.count - 1))
    }
}
