import Stream

/// Affine image warps with bilinear interpolation.
public enum ImageWarper {
    /// What a warp reads outside the source image.
    public enum Border: Sendable {
        /// Edge pixels repeat (no dark seams around crops).
        case replicate
        /// Black / zero.
        case zero
    }

    /// A `width`×`height` image whose pixel (u, v) is `source` at `outputToSource(u, v)`.
    public static func warp(
        _ source: RGBImage, width: Int, height: Int, outputToSource m: AffineTransform2D, border: Border = .replicate
    ) -> RGBImage {
        if let t = m.integerTranslation, t.x >= 0, t.y >= 0, t.x + width <= source.width, t.y + height <= source.height {
            return source.cropped(x: t.x, y: t.y, width: width, height: height)  // same bytes, no resampling
        }
        var out = RGBImage(width: width, height: height)
        let (sw, sh) = (source.width, source.height)
        source.pixels.withUnsafeBufferPointer { srcBuf in
            out.pixels.withUnsafeMutableBufferPointer { dstBuf in
                let src = srcBuf.baseAddress!, dst = dstBuf.baseAddress!
                for v in 0..<height {
                    var sx = m.b * Float(v) + m.tx, sy = m.d * Float(v) + m.ty
                    var q = dst + v * width * 3
                    for _ in 0..<width {
                        switch border {
                        case .replicate:
                            Bilinear.store(Bilinear.sampleRGB(src, Bilinear.clamped(sx, sy, width: sw, height: sh)), to: q)
                        case .zero:
                            if let t = Bilinear.zeroPadded(sx, sy, width: sw, height: sh) {
                                Bilinear.store(Bilinear.sampleRGB(src, t), to: q)
                            }
                        }
                        sx += m.a
                        sy += m.c
                        q += 3
                    }
                }
            }
        }
        return out
    }

    /// Like ``warp(_:width:height:outputToSource:border:)`` (edges replicated), but a shrink without rotation or
    /// shear averages the source pixels each output pixel covers instead of reading four of them: a face swapped in
    /// a box smaller than the frame's (``isAxisAlignedShrink``) sees the frame without aliasing, and the swap and the
    /// merger, which both call this, see the same pixels.
    public static func resample(_ source: RGBImage, width: Int, height: Int,
                                outputToSource m: AffineTransform2D) -> RGBImage {
        guard m.isAxisAlignedShrink else { return warp(source, width: width, height: height, outputToSource: m) }
        // Output pixel u's centre reads source point a·u + tx (centres at integers): its footprint starts half a
        // pixel of each before it.
        let xs = ResampleTaps(count: width, origin: Double(m.tx + 0.5 - m.a / 2), length: Double(m.a) * Double(width),
                              limit: source.width)
        let ys = ResampleTaps(count: height, origin: Double(m.ty + 0.5 - m.d / 2), length: Double(m.d) * Double(height),
                              limit: source.height)
        var out = RGBImage(width: width, height: height)
        out.pixels.withUnsafeMutableBufferPointer { dst in
            ImageSampler.areaRows(of: source, xs: xs, ys: ys) { v, row in
                let q = dst.baseAddress! + v * width * 3
                // 2²³ added to a value in 0…255 leaves it, rounded to nearest, in the float's low mantissa bits: no
                // trapping conversion, so the loop vectorises.
                for i in row.indices { q[i] = UInt8(truncatingIfNeeded: (min(max(row[i], 0), 255) + 8_388_608).bitPattern) }
            }
        }
        return out
    }

    /// A `width`×`height` mask whose value at (u, v) is `source` at `outputToSource(u, v)`, zero outside.
    public static func warp(_ source: AlphaMask, width: Int, height: Int, outputToSource m: AffineTransform2D) -> AlphaMask {
        var out = AlphaMask(width: width, height: height)
        let (sw, sh) = (source.width, source.height)
        if let lattice = Lattice(m) {
            // Every output pixel lands on a source pixel: the values the bilinear taps give (the others weigh 0;
            // the same for finite masks), read directly.
            source.values.withUnsafeBufferPointer { src in
                out.values.withUnsafeMutableBufferPointer { dst in
                    // The output columns whose source column lies inside: x0 + dx·u in 0..<sw.
                    guard let columns = lattice.columns(width: width, sourceWidth: sw) else { return }
                    for v in 0..<height {
                        let y = lattice.y0 + lattice.dy * v
                        guard y >= 0, y < sh else { continue }
                        let (row, to) = (y * sw + lattice.x0, dst.baseAddress! + v * width)
                        for u in columns { to[u] = src[row + lattice.dx * u] }
                    }
                }
            }
            return out
        }
        if m.b == 0, m.c == 0 {
            // No rotation or shear: the taps of a column (and of a row) are the same in every row, so they are
            // found once per column and row instead of per pixel, with the same arithmetic as the loop below.
            let columns = AxisTaps.along(count: width, start: m.tx, step: m.a, size: sw)
            source.values.withUnsafeBufferPointer { srcBuf in
                out.values.withUnsafeMutableBufferPointer { dstBuf in
                    let src = srcBuf.baseAddress!
                    for v in 0..<height {
                        guard let y = AxisTaps(m.d * Float(v) + m.ty, size: sh) else { continue }
                        let (r0, r1) = (src + y.i0 * sw, src + y.i1 * sw)
                        let row = dstBuf.baseAddress! + v * width
                        for u in columns.indices {
                            guard let x = columns[u] else { continue }
                            row[u] = r0[x.i0] * (x.w0 * y.w0) + r0[x.i1] * (x.w1 * y.w0)
                                + r1[x.i0] * (x.w0 * y.w1) + r1[x.i1] * (x.w1 * y.w1)
                        }
                    }
                }
            }
            return out
        }
        source.values.withUnsafeBufferPointer { srcBuf in
            out.values.withUnsafeMutableBufferPointer { dstBuf in
                let src = srcBuf.baseAddress!
                for v in 0..<height {
                    var sx = m.b * Float(v) + m.tx, sy = m.d * Float(v) + m.ty
                    for u in 0..<width {
                        if let t = Bilinear.zeroPadded(sx, sy, width: sw, height: sh) {
                            dstBuf[v * width + u] = Bilinear.sample(src, t)
                        }
                        sx += m.a
                        sy += m.c
                    }
                }
            }
        }
        return out
    }
}

/// A map that takes every pixel onto a pixel: whole-pixel steps along each axis (no rotation or shear) and a
/// whole-pixel offset, as a frame-aligned swap box sampled every `dx`-th pixel.
private struct Lattice {
    let x0: Int, y0: Int, dx: Int, dy: Int

    init?(_ m: AffineTransform2D) {
        guard m.b == 0, m.c == 0, m.a == m.a.rounded(), m.d == m.d.rounded(), m.tx == m.tx.rounded(),
              m.ty == m.ty.rounded(), max(abs(m.a), abs(m.d), abs(m.tx), abs(m.ty)) < 1e9 else { return nil }
        (x0, y0, dx, dy) = (Int(m.tx), Int(m.ty), Int(m.a), Int(m.d))
    }

    /// The output columns `u` in 0..<`width` whose source column `x0 + dx·u` lies in 0..<`sourceWidth`.
    func columns(width: Int, sourceWidth: Int) -> Range<Int>? {
        var (lo, hi) = (0, width)
        if dx > 0 {
            lo = max(lo, (-x0 + dx - 1) / dx)  // x0 + dx·u ≥ 0
            hi = min(hi, x0 < sourceWidth ? (sourceWidth - 1 - x0) / dx + 1 : 0)
        } else if dx < 0 {
            lo = max(lo, x0 >= sourceWidth ? (x0 - sourceWidth + 1 - dx - 1) / -dx : 0)
            hi = min(hi, x0 >= 0 ? x0 / -dx + 1 : 0)
        } else if x0 < 0 || x0 >= sourceWidth {
            return nil
        }
        return lo < hi ? lo..<hi : nil
    }
}

/// One axis of ``Bilinear/zeroPadded(_:_:width:height:)``'s taps: the two indices and their weights (0 for an index
/// outside the image), so that a tap's weight is the product of its column's and its row's.
private struct AxisTaps {
    let i0: Int, i1: Int
    let w0: Float, w1: Float

    /// Nil where the coordinate is wholly outside 0..<`size` (the sample is zero).
    @inline(__always)
    init?(_ x: Float, size: Int) {
        guard x > -1, x < Float(size) else { return nil }
        let floor = x.rounded(.down)
        let i = Int(floor), f = x - floor
        (i0, i1) = (max(i, 0), min(i + 1, size - 1))
        (w0, w1) = (i >= 0 ? 1 - f : 0, i + 1 < size ? f : 0)
    }

    /// The taps of `count` coordinates from `start`, `step` apart, accumulated as the general warp steps them.
    static func along(count: Int, start: Float, step: Float, size: Int) -> [AxisTaps?] {
        var x = start
        return (0..<count).map { _ in
            defer { x += step }
            return AxisTaps(x, size: size)
        }
    }
}
