import Stream

/// Multi-band (Laplacian pyramid) blending (Burt & Adelson 1983): each frequency band is blended with the mask
/// blurred to that band's scale, so coarse light and colour change over a wide transition while fine detail
/// switches over a narrow one — no visible edge, no halo.
///
/// Works on the difference `over − under`, which is linear in the pyramid: the result is what to *add* to `under`
/// (a paste can then add it to the frame without resampling the frame's own pixels). Pyramids: 2×2 averages down,
/// bilinear up; reconstruction is exact (a mask of 1 everywhere gives back `over − under`).
///
/// The finest band is never stored: ``Bands`` holds the pyramid from the second level down, and the full-resolution
/// result at a pixel is `m·(over − under) + up(R₁) − m·up(G₁)` (``Bands/upsampled(x:y:)``), which a paste can
/// evaluate as it goes.
public enum PyramidBlend {
    /// The blended difference, one SIMD4 (r, g, b, 0) per pixel, 0…255 scale: `under + result` is the blend.
    ///
    /// - Parameter levels: bands, including the finest; fewer if the image gets smaller than 16 pixels.
    public static func difference(over: RGBImage, under: RGBImage, mask: AlphaMask, levels: Int) -> [SIMD4<Float>] {
        Bands(over: over, under: under, mask: mask, levels: levels).difference(over: over, under: under, mask: mask)
    }

    /// `over − under` at pixel `i` of two packed RGB buffers.
    @inline(__always)
    public static func pixelDifference(_ over: UnsafePointer<UInt8>, _ under: UnsafePointer<UInt8>, _ i: Int) -> SIMD4<Float> {
        let p = over + 3 * i, q = under + 3 * i
        return SIMD4(Float(p[0]), Float(p[1]), Float(p[2]), 0) - SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)
    }

    /// The blended pyramid below the finest band: R₁ (blended bands 1…n collapsed) and G₁ (the difference's second
    /// Gaussian level).
    public struct Bands {
        let blended: Level<SIMD4<Float>>
        let image: Level<SIMD4<Float>>
        /// Size of the finest level.
        public let width: Int, height: Int

        public init(over: RGBImage, under: RGBImage, mask: AlphaMask, levels: Int) {
            precondition(over.width == under.width && over.height == under.height, "image sizes differ")
            precondition(mask.width == over.width && mask.height == over.height, "mask size differs")
            let (w, h) = (over.width, over.height)
            (width, height) = (w, h)
            // Level 1 straight from the bytes (the full-resolution difference is never stored).
            let first = over.pixels.withUnsafeBufferPointer { o in
                under.pixels.withUnsafeBufferPointer { u in
                    Level<SIMD4<Float>>.halving(width: w, height: h) { i in
                        pixelDifference(o.baseAddress!, u.baseAddress!, i)
                    }
                }
            }
            var images = [first]
            var masks = [mask.values.withUnsafeBufferPointer { m in
                Level<Float>.halving(width: w, height: h) { m[$0] }
            }]
            while images.count < levels - 1, min(images.last!.width, images.last!.height) >= 16 {
                images.append(images.last!.halved())
                masks.append(masks.last!.halved())
            }
            // Collapse from the coarsest band: R_k = M_k·G_k + up(R_k+1) − M_k·up(G_k+1).
            let n = images.count - 1
            var result = images[n]
            for i in result.values.indices { result.values[i] *= masks[n].values[i] }
            for k in stride(from: n - 1, through: 0, by: -1) {
                let (fine, m) = (images[k], masks[k])
                var values = fine.values
                let (coarseResult, coarseImage) = (result, images[k + 1])
                for y in 0..<fine.height {
                    for x in 0..<fine.width {
                        let i = y * fine.width + x
                        let t = Level<Float>.taps(x: x, y: y, coarseWidth: coarseImage.width, coarseHeight: coarseImage.height)
                        values[i] = m.values[i] * (fine.values[i] - coarseImage.sample(t)) + coarseResult.sample(t)
                    }
                }
                result = Level(values: values, width: fine.width, height: fine.height)
            }
            blended = result
            image = images[0]
        }

        /// The full-resolution blended difference of the images these bands were made from.
        public func difference(over: RGBImage, under: RGBImage, mask: AlphaMask) -> [SIMD4<Float>] {
            var out = [SIMD4<Float>](repeating: .zero, count: width * height)
            over.pixels.withUnsafeBufferPointer { o in
                under.pixels.withUnsafeBufferPointer { u in
                    for y in 0..<height {
                        for x in 0..<width {
                            let i = y * width + x
                            out[i] = blend(difference: pixelDifference(o.baseAddress!, u.baseAddress!, i),
                                           mask: mask.values[i], x: x, y: y)
                        }
                    }
                }
            }
            return out
        }

        /// The full-resolution blend at (x, y) from this pixel's `difference` and `mask`.
        @inline(__always)
        public func blend(difference: SIMD4<Float>, mask: Float, x: Int, y: Int) -> SIMD4<Float> {
            let t = Level<Float>.taps(x: x, y: y, coarseWidth: image.width, coarseHeight: image.height)
            return mask * (difference - image.sample(t)) + blended.sample(t)
        }
    }

    /// One pyramid level.
    struct Level<V: PyramidValue> {
        var values: [V]
        let width: Int, height: Int

        /// Bilinear taps of the coarser level under fine pixel (x, y) (pixel centres aligned: fine x ↦ coarse
        /// (x + 0.5)/2 − 0.5, clamped).
        struct Taps { let i00: Int, i10: Int, i01: Int, i11: Int, tx: Float, ty: Float }

        @inline(__always)
        static func taps(x: Int, y: Int, coarseWidth cw: Int, coarseHeight ch: Int) -> Taps {
            let sx = min(max((Float(x) + 0.5) * 0.5 - 0.5, 0), Float(cw - 1))
            let sy = min(max((Float(y) + 0.5) * 0.5 - 0.5, 0), Float(ch - 1))
            let x0 = Int(sx), y0 = Int(sy)
            let x1 = min(x0 + 1, cw - 1), y1 = min(y0 + 1, ch - 1)
            return Taps(i00: y0 * cw + x0, i10: y0 * cw + x1, i01: y1 * cw + x0, i11: y1 * cw + x1,
                        tx: sx - Float(x0), ty: sy - Float(y0))
        }

        @inline(__always)
        func sample(_ t: Level<Float>.Taps) -> V {
            let top = values[t.i00].scaled(1 - t.tx) + values[t.i10].scaled(t.tx)
            let bottom = values[t.i01].scaled(1 - t.tx) + values[t.i11].scaled(t.tx)
            return top.scaled(1 - t.ty) + bottom.scaled(t.ty)
        }

        /// The half-size level of a `width`×`height` image read through `value(index)`: 2×2 averages (an odd last
        /// row or column averages what it has).
        @inline(__always)
        static func halving(width: Int, height: Int, _ value: (Int) -> V) -> Level {
            let (hw, hh) = ((width + 1) / 2, (height + 1) / 2)
            var out = [V](repeating: .zero, count: hw * hh)
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<hh {
                    let y0 = 2 * y, y1 = min(2 * y + 1, height - 1)
                    for x in 0..<hw {
                        let x0 = 2 * x, x1 = min(2 * x + 1, width - 1)
                        o[y * hw + x] = (value(y0 * width + x0) + value(y0 * width + x1) + value(y1 * width + x0)
                                         + value(y1 * width + x1)).scaled(0.25)
                    }
                }
            }
            return Level(values: out, width: hw, height: hh)
        }

        func halved() -> Level {
            values.withUnsafeBufferPointer { v in Self.halving(width: width, height: height) { v[$0] } }
        }
    }
}

/// What a pyramid level holds: a float or an RGB float vector.
protocol PyramidValue {
    static var zero: Self { get }
    static func + (a: Self, b: Self) -> Self
    func scaled(_ k: Float) -> Self
}

extension Float: PyramidValue {
    @inline(__always) func scaled(_ k: Float) -> Float { self * k }
}

extension SIMD4: PyramidValue where Scalar == Float {
    @inline(__always) func scaled(_ k: Float) -> SIMD4<Float> { self * k }
}
