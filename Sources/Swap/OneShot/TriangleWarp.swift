import Stream

/// Piecewise-affine warp: paints triangles of a source image onto destination triangles.
enum TriangleWarp {
    /// For each triangle (indices into both point lists), maps `source` from `sourcePoints` onto `targetPoints` in
    /// `image`, and writes `coverageValue` into `coverage` where it painted. Target triangles facing away (signed
    /// area ≤ 0, i.e. folded over in a turned head) are skipped. Pixels are covered by the top-left rule, so shared
    /// edges are painted once.
    static func warp(
        _ source: RGBImage, sourcePoints: [SIMD2<Float>], triangles: [SIMD3<Int>], targetPoints: [SIMD2<Float>],
        into image: inout RGBImage, coverage: inout AlphaMask, coverageValue: Float
    ) {
        let (w, h) = (image.width, image.height)
        let (sw, sh) = (source.width, source.height)
        source.pixels.withUnsafeBufferPointer { srcBuf in
            image.pixels.withUnsafeMutableBufferPointer { dstBuf in
                coverage.values.withUnsafeMutableBufferPointer { cov in
                    let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!
                    for t in triangles {
                        let (p0, p1, p2) = (targetPoints[t.x], targetPoints[t.y], targetPoints[t.z])
                        let area = cross(p1 - p0, p2 - p0)
                        guard area > 1e-3,
                              let m = AffineTransform2D(
                                mapping: (p0, p1, p2), to: (sourcePoints[t.x], sourcePoints[t.y], sourcePoints[t.z]))
                        else { continue }
                        let lo = pointwiseMin(p0, pointwiseMin(p1, p2)), hi = pointwiseMax(p0, pointwiseMax(p1, p2))
                        let xa = max(0, Int(lo.x.rounded(.up))), xb = min(w - 1, Int(hi.x.rounded(.down)))
                        let ya = max(0, Int(lo.y.rounded(.up))), yb = min(h - 1, Int(hi.y.rounded(.down)))
                        guard xa <= xb, ya <= yb else { continue }
                        let edges = (Edge(p1, p2), Edge(p2, p0), Edge(p0, p1))
                        for y in ya...yb {
                            let py = Float(y)
                            for x in xa...xb {
                                let p = SIMD2(Float(x), py)
                                guard edges.0.covers(p), edges.1.covers(p), edges.2.covers(p) else { continue }
                                let s = m.apply(p)
                                let c = Bilinear.sampleRGB(src, Bilinear.clamped(s.x, s.y, width: sw, height: sh))
                                Bilinear.store(c, to: dst + 3 * (y * w + x))
                                cov[y * w + x] = coverageValue
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func cross(_ u: SIMD2<Float>, _ v: SIMD2<Float>) -> Float { u.x * v.y - u.y * v.x }

    /// An edge function of a positively oriented triangle with the top-left fill rule.
    private struct Edge {
        let a: SIMD2<Float>, d: SIMD2<Float>
        let inclusive: Bool

        init(_ a: SIMD2<Float>, _ b: SIMD2<Float>) {
            self.a = a
            self.d = b - a
            // Neighbouring triangles run a shared edge in opposite directions, so exactly one of them owns it.
            inclusive = d.y < 0 || (d.y == 0 && d.x < 0)
        }

        @inline(__always)
        func covers(_ p: SIMD2<Float>) -> Bool {
            let e = d.x * (p.y - a.y) - d.y * (p.x - a.x)
            return e > 0 || (e == 0 && inclusive)
        }
    }
}
