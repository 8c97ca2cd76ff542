/// Soft-edged shapes drawn into masks by union (each pixel keeps the larger coverage).
extension AlphaMask {
    /// Draws the capsule of all points within `radius` of the segment `a`–`b` (pixel centres at integer
    /// coordinates). The edge ramps from 1 to 0 over `feather` pixels centred on the outline (≥ 1: anti-aliased).
    public mutating func drawCapsule(from a: SIMD2<Float>, to b: SIMD2<Float>, radius: Float, feather: Float = 1) {
        let ramp = max(feather, 1)
        let reach = radius + ramp / 2
        let x0 = max(0, Int((min(a.x, b.x) - reach).rounded(.down))), x1 = min(width - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
        let y0 = max(0, Int((min(a.y, b.y) - reach).rounded(.down))), y1 = min(height - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let ab = b - a
        let length2 = (ab * ab).sum()
        let inverse = length2 > 0 ? 1 / length2 : 0
        // A slanted capsule lies within the strip of half-width `reach` around its line, which crosses row y in an
        // interval: only that part of the box can be covered (beyond `reach` the coverage is 0 anyway).
        let slanted = abs(ab.y) > 1e-3 * length2.squareRoot()
        let halfSpan = slanted ? reach * length2.squareRoot() / abs(ab.y) : 0
        for y in y0...y1 {
            var xs = x0, xe = x1
            if slanted {
                let centre = a.x + ab.x * (Float(y) - a.y) / ab.y
                xs = max(x0, Int((centre - halfSpan).rounded(.down)))
                xe = min(x1, Int((centre + halfSpan).rounded(.up)))
                if xs > xe { continue }
            }
            for x in xs...xe {
                let ap = SIMD2(Float(x), Float(y)) - a
                let t = min(max((ap * ab).sum() * inverse, 0), 1)
                let d = ap - t * ab
                let coverage = min(max((radius - (d * d).sum().squareRoot()) / ramp + 0.5, 0), 1)
                if coverage > values[y * width + x] { values[y * width + x] = coverage }
            }
        }
    }

    /// Draws the convex hull of `points` grown by `radius` (a rounded polygon), edge as in
    /// ``drawCapsule(from:to:radius:feather:)``.
    public mutating func drawRoundedHull(_ points: [SIMD2<Float>], radius: Float, feather: Float = 1) {
        let hull = ConvexHull.of(points)
        guard !hull.isEmpty else { return }
        if hull.count >= 3 {
            var core = AlphaMask(width: width, height: height)
            PolygonRasterizer.fill(hull, into: &core)
            // The fill's own anti-aliased rim lies inside the capsules drawn on its edges below.
            for i in values.indices where core.values[i] > values[i] { values[i] = core.values[i] }
        }
        for i in hull.indices {
            drawCapsule(from: hull[i], to: hull[(i + 1) % hull.count], radius: radius, feather: feather)
        }
    }
}
