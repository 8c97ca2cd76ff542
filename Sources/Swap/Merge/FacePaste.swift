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

    /// Multi-band paste: `frame += blend(face − under) · keep`, where `keep` fades to 0 over the swap box's outer
    /// `fade` pixels (the coarse bands reach past the mask; the box's border must still add nothing) and is cut by
    /// `kept` (openings and glasses that stay the target's).
    static func addBlend(_ face: RGBImage, under: RGBImage, mask: AlphaMask, bands: PyramidBlend.Bands, fade: Int,
                         kept: AlphaMask?, toFrame: AffineTransform2D, into frame: inout RGBImage) {
        let (w, h) = (face.width, face.height)
        @inline(__always) func keep(_ x: Int, _ y: Int, _ i: Int) -> Float {
            let d = min(min(x, w - 1 - x), min(y, h - 1 - y))
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
                            for x in xa...xb {
                                let k = keep(x, y, y * w + x)
                                guard k > 0 else { continue }
                                let v = row[x - xa] * k
                                guard largest(v) >= significant else { continue }
                                let q = dst + 3 * x
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

    /// General paste: for each frame pixel of the support's frame box, `body(swap-space x, y, frame pixel)`.
    @inline(__always)
    private static func resample(
        _ support: (x0: Int, y0: Int, x1: Int, y1: Int), toFrame: AffineTransform2D, frame: inout RGBImage,
        _ body: (Float, Float, SIMD4<Float>) -> SIMD4<Float>?
    ) {
        guard let m = toFrame.inverted() else { return }
        let box = toFrame.boundingBox(
            ofX: Float(support.x0 - 1)...Float(support.x1 + 1), y: Float(support.y0 - 1)...Float(support.y1 + 1))
        guard let pixels = box.pixelRanges(width: frame.width, height: frame.height) else { return }
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
