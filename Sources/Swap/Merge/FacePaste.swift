import Imaging
import Stream

/// Paste-back of a face from swap space into the frame, touching only the pixels it changes.
///
/// Frame-space swaps (the mesh swap: `toFrame` an integer translation) are pasted pixel for pixel, no resampling;
/// the rest sample the swap space bilinearly at each frame pixel through the exact inverse of `toFrame`.
enum FacePaste {
    /// Pixels whose weight is at most this are left bit-identical.
    static let threshold: Float = 1 / 255
    /// Differences below this (0–255) leave the pixel bit-identical (they would round away anyway).
    static let significant: Float = 0.5

    /// `frame = frame·(1 − m) + face·m` where the mask reaches.
    static func blend(_ face: RGBImage, mask: AlphaMask, toFrame: AffineTransform2D, into frame: inout RGBImage) {
        guard let support = mask.support(above: threshold) else { return }
        let (fw, fh) = (face.width, face.height)
        face.pixels.withUnsafeBufferPointer { facePx in
            mask.values.withUnsafeBufferPointer { maskPx in
                let src = facePx.baseAddress!, alpha = maskPx.baseAddress!
                if let offset = toFrame.integerTranslation {
                    visit(support, offset: offset, swapWidth: fw, frame: &frame) { i, under in
                        let a = alpha[i]
                        guard a > threshold else { return nil }
                        let p = src + 3 * i
                        return under + (SIMD4(Float(p[0]), Float(p[1]), Float(p[2]), 0) - under) * min(a, 1)
                    }
                } else {
                    resample(support, toFrame: toFrame, frame: &frame) { sx, sy, under in
                        guard let t = Bilinear.zeroPadded(sx, sy, width: fw, height: fh) else { return nil }
                        let a = Bilinear.sample(alpha, t)
                        guard a > threshold else { return nil }
                        let over = Bilinear.sampleRGB(src, Bilinear.clamped(sx, sy, width: fw, height: fh))
                        return under + (over - under) * min(a, 1)
                    }
                }
            }
        }
    }

    /// The alpha blend's change of `under` (both swap space, 0–255 scale): `(over − under) · min(mask, 1)`.
    static func change(from under: RGBImage, to over: RGBImage, mask: AlphaMask) -> [SIMD4<Float>] {
        var change = [SIMD4<Float>](repeating: .zero, count: mask.values.count)
        under.pixels.withUnsafeBufferPointer { u in
            over.pixels.withUnsafeBufferPointer { o in
                for i in change.indices where mask.values[i] > threshold {
                    change[i] = PyramidBlend.pixelDifference(o.baseAddress!, u.baseAddress!, i) * min(mask.values[i], 1)
                }
            }
        }
        return change
    }

    /// Multi-band paste: `frame += blend(face − under) · keep`, where `keep` fades to 0 over the swap box's outer
    /// `fade` pixels (the coarse bands reach past the mask; the box's border must still add nothing) and is cut by
    /// `kept` (openings and glasses that stay the target's).
    static func addBlend(_ face: RGBImage, under: RGBImage, mask: AlphaMask, bands: PyramidBlend.Bands, fade: Int,
                         kept: AlphaMask?, toFrame: AffineTransform2D, into frame: inout RGBImage) {
        let (w, h) = (face.width, face.height)
        @inline(__always) func keep(_ x: Int, _ y: Int, _ i: Int) -> Float {
            let d = min(min(x, w &- 1 &- x), min(y, h &- 1 &- y))
            let f = d < fade ? Float(d) / Float(fade) : 1
            return kept.map { f * (1 - $0.values[i]) } ?? f
        }
        guard let offset = toFrame.integerTranslation else {
            // The general path resamples a stored difference.
            var difference = bands.difference(over: face, under: under, mask: mask)
            for y in 0..<h { for x in 0..<w { difference[y * w + x] *= keep(x, y, y * w + x) } }
            add(difference, width: w, height: h, toFrame: toFrame, into: &frame)
            return
        }
        let xa = max(0, -offset.x), xb = min(w - 1, frame.width - 1 - offset.x)
        let ya = max(0, -offset.y), yb = min(h - 1, frame.height - 1 - offset.y)
        guard xa <= xb, ya <= yb else { return }
        let frameWidth = frame.width
        // One row of the blend at a time (the bands' taps are tabulated per row and column).
        let row = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: xb - xa + 1)
        defer { row.deallocate() }
        face.pixels.withUnsafeBufferPointer { o in
            under.pixels.withUnsafeBufferPointer { u in
                mask.values.withUnsafeBufferPointer { m in
                    frame.pixels.withUnsafeMutableBufferPointer { out in
                        for y in ya...yb {
                            bands.blendRow(y, columns: xa, through: xb, over: o.baseAddress!, under: u.baseAddress!,
                                           mask: m.baseAddress!, into: row)
                            let dst = out.baseAddress! + 3 * ((y + offset.y) * frameWidth + offset.x)
                            // Wrapping index arithmetic (inside the face and the frame): checking it was a tenth of
                            // this loop's instructions.
                            for x in xa...xb {
                                let k = keep(x, y, y &* w &+ x)
                                guard k > 0 else { continue }
                                let v = row[x &- xa] * k
                                guard largest(v) >= significant else { continue }
                                let q = dst + 3 &* x
                                Bilinear.store(SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0) + v, to: q)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `frame += difference` (swap-space RGB, 0–255 scale) wherever it is at least a rounding step.
    static func add(_ difference: [SIMD4<Float>], width: Int, height: Int, toFrame: AffineTransform2D,
                    into frame: inout RGBImage) {
        difference.withUnsafeBufferPointer { d in
            let p = d.baseAddress!
            if let offset = toFrame.integerTranslation {
                // Pixel for pixel over the whole box (no support to find: pixels below a rounding step are skipped).
                visit((0, 0, width - 1, height - 1), offset: offset, swapWidth: width, frame: &frame) { i, under in
                    largest(p[i]) >= significant ? under + p[i] : nil
                }
                return
            }
            if toFrame.isAxisAligned {
                addScaled(p, width: width, height: height, toFrame: toFrame, into: &frame)
                return
            }
            var reach = AlphaMask(width: width, height: height)
            for i in difference.indices where largest(difference[i]) >= significant { reach.values[i] = 1 }
            guard let support = reach.support(above: 0) else { return }
            resample(support, toFrame: toFrame, frame: &frame) { sx, sy, under in
                guard let t = Bilinear.zeroPadded(sx, sy, width: width, height: height) else { return nil }
                let v = Bilinear.sample(p, t)
                return largest(v) >= significant ? under + v : nil
            }
        }
    }

    /// ``add(_:width:height:toFrame:into:)`` for a swap box only scaled and moved (a mesh swap shrunk below the
    /// frame's resolution): the same bilinear samples with zero outside the box, taken one frame row at a time, the
    /// two swap rows under it interpolated once and each column's taps tabulated.
    private static func addScaled(_ p: UnsafePointer<SIMD4<Float>>, width: Int, height: Int, toFrame m: AffineTransform2D,
                                  into frame: inout RGBImage) {
        // Frame pixels whose swap coordinate lies in (−1, size): the zero-padded sampler's reach.
        func reach(_ t: Float, _ scale: Float, _ size: Int, _ limit: Int) -> ClosedRange<Int>? {
            let lo = max(Int((t - scale).rounded(.down)) + 1, 0)
            let hi = min(Int((t + scale * Float(size)).rounded(.up)) - 1, limit - 1)
            return lo <= hi ? lo...hi : nil
        }
        guard let xs = reach(m.tx, m.a, width, frame.width), let ys = reach(m.ty, m.d, height, frame.height) else { return }
        // Per swap row, the columns holding a difference of at least a rounding step (a bilinear mix of smaller ones
        // is smaller): frame rows and columns that reach none are skipped.
        let spans = (0..<height).map { y -> ClosedRange<Int>? in
            let row = p + y * width
            guard let first = (0..<width).first(where: { largest(row[$0]) >= significant }),
                  let last = (0..<width).last(where: { largest(row[$0]) >= significant }) else { return nil }
            return first...last
        }
        // Column taps into a row padded with a zero on each side: frame column x reads padded[j] and padded[j + 1].
        var taps = [(j: Int, t: Float)](repeating: (0, 0), count: frame.width)
        for x in xs {
            let s = (Float(x) - m.tx) / m.a
            let f = s.rounded(.down)
            taps[x] = (min(max(Int(f) + 1, 0), width), s - f)
        }
        var padded = [SIMD4<Float>](repeating: .zero, count: width + 2)
        let frameWidth = frame.width
        frame.pixels.withUnsafeMutableBufferPointer { out in
            padded.withUnsafeMutableBufferPointer { row in
                taps.withUnsafeBufferPointer { taps in
                    for y in ys {
                        let s = (Float(y) - m.ty) / m.d
                        let f = s.rounded(.down)
                        let (y0, t) = (Int(f), s - f)
                        let (has0, has1) = (y0 >= 0 && y0 < height, y0 + 1 >= 0 && y0 + 1 < height)
                        guard let span = Self.union(has0 ? spans[y0] : nil, has1 ? spans[y0 + 1] : nil) else { continue }
                        // The two rows interpolated over the span and a column either side (what the taps below
                        // read; the padding's zeros stay).
                        for k in max(span.lowerBound - 1, 0)...min(span.upperBound + 1, width - 1) {
                            var v = SIMD4<Float>.zero
                            if has0 { v += p[y0 * width + k] * (1 - t) }
                            if has1 { v += p[(y0 + 1) * width + k] * t }
                            row[k + 1] = v
                        }
                        // Frame columns whose taps reach the span: swap x in (first − 1, last + 1).
                        let lo = max(xs.lowerBound, Int((m.tx + m.a * Float(span.lowerBound - 1)).rounded(.down)) + 1)
                        let hi = min(xs.upperBound, Int((m.tx + m.a * Float(span.upperBound + 1)).rounded(.up)) - 1)
                        guard lo <= hi else { continue }
                        let dst = out.baseAddress! + 3 * (y * frameWidth)
                        for x in lo...hi {
                            let (j, t) = taps[x]
                            let v = row[j] * (1 - t) + row[j + 1] * t
                            guard largest(v) >= significant else { continue }
                            let q = dst + 3 * x
                            Bilinear.store(SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0) + v, to: q)
                        }
                    }
                }
            }
        }
    }

    /// The smallest range holding both (nil when neither is given).
    private static func union(_ a: ClosedRange<Int>?, _ b: ClosedRange<Int>?) -> ClosedRange<Int>? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a.lowerBound, b.lowerBound)...max(a.upperBound, b.upperBound)
    }

    /// The largest |component| (spelt out: the generic `SIMD4.min()` was a call per pixel).
    @inline(__always)
    private static func largest(_ v: SIMD4<Float>) -> Float { max(max(abs(v.x), abs(v.y)), max(abs(v.z), abs(v.w))) }

    /// Frame-space paste over the support: `body(swap-space index, frame pixel)` returns the new pixel or nil.
    @inline(__always)
    private static func visit(
        _ support: (x0: Int, y0: Int, x1: Int, y1: Int), offset: SIMD2<Int>, swapWidth: Int, frame: inout RGBImage,
        _ body: (Int, SIMD4<Float>) -> SIMD4<Float>?
    ) {
        let xa = max(support.x0, -offset.x), xb = min(support.x1, frame.width - 1 - offset.x)
        let ya = max(support.y0, -offset.y), yb = min(support.y1, frame.height - 1 - offset.y)
        guard xa <= xb, ya <= yb else { return }
        let frameWidth = frame.width
        frame.pixels.withUnsafeMutableBufferPointer { out in
            for row in ya...yb {
                let dst = out.baseAddress! + 3 * ((row + offset.y) * frameWidth + offset.x)
                for col in xa...xb {
                    let q = dst + 3 * col
                    if let v = body(row * swapWidth + col, SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)) {
                        Bilinear.store(v, to: q)
                    }
                }
            }
        }
    }

    /// The frame pixels (of a `width` × `height` frame) a swap-space `support` can reach through `toFrame`: its box
    /// and a pixel past it each way, which bilinear taps still read.
    static func reach(of support: (x0: Int, y0: Int, x1: Int, y1: Int), toFrame: AffineTransform2D, width: Int,
                      height: Int) -> (x: ClosedRange<Int>, y: ClosedRange<Int>)? {
        toFrame.boundingBox(ofX: Float(support.x0 - 1)...Float(support.x1 + 1),
                            y: Float(support.y0 - 1)...Float(support.y1 + 1)).pixelRanges(width: width, height: height)
    }

    /// General paste: for each frame pixel of the support's frame box, `body(swap-space x, y, frame pixel)`.
    @inline(__always)
    private static func resample(
        _ support: (x0: Int, y0: Int, x1: Int, y1: Int), toFrame: AffineTransform2D, frame: inout RGBImage,
        _ body: (Float, Float, SIMD4<Float>) -> SIMD4<Float>?
    ) {
        guard let m = toFrame.inverted(),
              let pixels = reach(of: support, toFrame: toFrame, width: frame.width, height: frame.height) else { return }
        let x0 = pixels.x.lowerBound
        let frameWidth = frame.width
        frame.pixels.withUnsafeMutableBufferPointer { out in
            let dst = out.baseAddress!
            for row in pixels.y {
                var sx = m.a * Float(x0) + m.b * Float(row) + m.tx
                var sy = m.c * Float(x0) + m.d * Float(row) + m.ty
                for col in pixels.x {
                    defer { sx += m.a; sy += m.c }
                    let q = dst + 3 * (row * frameWidth + col)
                    if let v = body(sx, sy, SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)) { Bilinear.store(v, to: q) }
                }
            }
        }
    }
}
