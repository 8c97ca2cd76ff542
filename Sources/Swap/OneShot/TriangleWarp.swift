import Imaging
import Stream

/// Piecewise-affine warp: paints triangles of a source image onto destination triangles.
enum TriangleWarp {
    /// For each triangle (indices into both point lists), maps `source` from `sourcePoints` onto `targetPoints` in
    /// `image`, painting only pixels where `clip` (the image's size) is positive. Target triangles facing away
    /// (signed area ≤ 0, i.e. folded over in a turned head) are skipped. Pixels are covered by the top-left rule, so
    /// shared edges are painted once.
    static func warp(
        _ source: RGBImage, sourcePoints: [SIMD2<Float>], triangles: [SIMD3<Int>], targetPoints: [SIMD2<Float>],
        into image: inout RGBImage, clip: AlphaMask
    ) {
        precondition(clip.width == image.width && clip.height == image.height, "clip size differs from image")
        let (sw, sh) = (source.width, source.height)
        let (w, h) = (image.width, image.height)
        source.pixels.withUnsafeBufferPointer { srcBuf in
            image.pixels.withUnsafeMutableBufferPointer { dstBuf in
                let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!
                cover(sourcePoints: sourcePoints, triangles: triangles, targetPoints: targetPoints, width: w, height: h,
                      clip: clip) { i, s in
                    Bilinear.store(Bilinear.sampleRGB(src, Bilinear.clamped(s.x, s.y, width: sw, height: sh)), to: dst + 3 &* i)
                }
            }
        }
    }

    /// The same warp from a mipmapped source: where a triangle shrinks the source (by its area's square root), the
    /// two levels round that scale are sampled and mixed (trilinear), so fine texture does not alias into glitter.
    /// Triangles that keep or enlarge the source read level 0 alone, as the plain warp does.
    static func warp(
        _ source: MipmappedImage, sourcePoints: [SIMD2<Float>], triangles: [SIMD3<Int>], targetPoints: [SIMD2<Float>],
        into image: inout RGBImage, clip: AlphaMask
    ) {
        precondition(clip.width == image.width && clip.height == image.height, "clip size differs from image")
        let (w, h) = (image.width, image.height)
        source.pixels.withUnsafeBufferPointer { srcBuf in
            image.pixels.withUnsafeMutableBufferPointer { dstBuf in
                let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!
                // The triangle's two levels and the second's share.
                var (fine, coarse) = (Level(source, 0, src), Level(source, 0, src))
                var mix = Float(0)
                cover(sourcePoints: sourcePoints, triangles: triangles, targetPoints: targetPoints, width: w, height: h,
                      clip: clip, triangle: { m in
                          let lambda = source.level(minification: abs(m.a * m.d - m.b * m.c).squareRoot())
                          let k = Int(lambda)
                          fine = Level(source, k, src)
                          mix = k + 1 < source.sizes.count ? lambda - Float(k) : 0
                          if mix > 0 { coarse = Level(source, k + 1, src) }
                      }) { i, s in
                    var c = fine.sample(s)
                    if mix > 0 { c += mix * (coarse.sample(s) - c) }
                    Bilinear.store(c, to: dst + 3 &* i)
                }
            }
        }
    }

    /// One level of a mipmapped source, ready to sample at level-0 coordinates.
    private struct Level {
        let pixels: UnsafePointer<UInt8>
        let width: Int, height: Int
        /// Level-0 coordinates to this level's: p · scale + shift.
        let scale: Float, shift: Float

        @inline(__always)
        init(_ source: MipmappedImage, _ k: Int, _ base: UnsafePointer<UInt8>) {
            pixels = base + 4 * source.offsets[k]
            (width, height) = source.sizes[k]
            (scale, shift) = MipmappedImage.mapping(toLevel: k)
        }

        @inline(__always)
        func sample(_ p: SIMD2<Float>) -> SIMD4<Float> {
            let q = p * scale + shift
            return Bilinear.sampleRGBX(pixels, Bilinear.clamped(q.x, q.y, width: width, height: height))
        }
    }

    /// The same warp for a mask: `source` (0…1) sampled bilinearly into `mask` where `clip` is positive.
    static func warp(
        _ source: AlphaMask, sourcePoints: [SIMD2<Float>], triangles: [SIMD3<Int>], targetPoints: [SIMD2<Float>],
        into mask: inout AlphaMask, clip: AlphaMask
    ) {
        precondition(clip.width == mask.width && clip.height == mask.height, "clip size differs from mask")
        let (sw, sh) = (source.width, source.height)
        let (w, h) = (mask.width, mask.height)
        source.values.withUnsafeBufferPointer { srcBuf in
            mask.values.withUnsafeMutableBufferPointer { dstBuf in
                let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!
                cover(sourcePoints: sourcePoints, triangles: triangles, targetPoints: targetPoints, width: w, height: h,
                      clip: clip) { i, s in
                    dst[i] = Bilinear.sample(src, Bilinear.clamped(s.x, s.y, width: sw, height: sh))
                }
            }
        }
    }

    /// Calls `paint(index, sourcePoint)` for every pixel of a `width` × `height` destination covered by a target
    /// triangle (facing the viewer) where `clip` is positive, with the point it maps to in the source; `triangle`
    /// first gets each triangle's target-to-source map.
    @inline(__always)
    private static func cover(
        sourcePoints: [SIMD2<Float>], triangles: [SIMD3<Int>], targetPoints: [SIMD2<Float>], width w: Int,
        height h: Int, clip: AlphaMask, triangle: (AffineTransform2D) -> Void = { _ in },
        paint: (Int, SIMD2<Float>) -> Void
    ) {
        clip.values.withUnsafeBufferPointer { clipBuf in
            let inside = clipBuf.baseAddress!
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
                triangle(m)
                let edges = (Edge(p1, p2), Edge(p2, p0), Edge(p0, p1))
                for y in ya...yb {
                    let py = Float(y)
                    // The row's span from the three edge lines, one pixel wider; the exact rule decides the ends.
                    var left = Float(xa), right = Float(xb)
                    edges.0.clip(row: py, left: &left, right: &right)
                    edges.1.clip(row: py, left: &left, right: &right)
                    edges.2.clip(row: py, left: &left, right: &right)
                    let x0 = max(xa, Int(left.rounded(.down)) - 1), x1 = min(xb, Int(right.rounded(.up)) + 1)
                    guard x0 <= x1 else { continue }
                    var s = m.apply(SIMD2(Float(x0), py))
                    let step = SIMD2(m.a, m.c)
                    @inline(__always) func covers(_ x: Int) -> Bool {
                        let p = SIMD2(Float(x), py)
                        return edges.0.covers(p) && edges.1.covers(p) && edges.2.covers(p)
                    }
                    // Each edge's test is monotonic along the row, so the covered pixels are one run: only the
                    // pixels outside it are tested. The source point still steps over each one (rounded sums).
                    var first = x0, last = x1
                    while first <= x1, !covers(first) { first += 1; s += step }
                    while last >= first, !covers(last) { last -= 1 }
                    guard first <= last else { continue }
                    for x in first...last {
                        defer { s += step }
                        let i = y &* w &+ x
                        if inside[i] > 0 { paint(i, s) }
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

        /// Narrows [left, right] to where this edge's function is ≥ 0 on row `y` (approximately; callers widen).
        @inline(__always)
        func clip(row y: Float, left: inout Float, right: inout Float) {
            // e(x) = d.x·(y − a.y) − d.y·(x − a.x) ≥ 0
            let c = d.x * (y - a.y)
            if d.y > 0 {
                right = min(right, a.x + c / d.y)
            } else if d.y < 0 {
                left = max(left, a.x + c / d.y)
            } else if c < 0 {
                right = left - 3  // the whole row is outside
            }
        }
    }
}
