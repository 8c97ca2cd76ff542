import Stream

/// Multi-band (Laplacian pyramid) blending (Burt & Adelson 1983): each frequency band is blended with the mask
/// blurred to that band's scale, so coarse light and colour change over a wide transition while fine detail
/// switches over a narrow one — no visible edge, no halo.
///
/// Works on the difference `over − under`, which is linear in the pyramid: the result is what to *add* to `under`
/// (a paste can then add it to the frame without resampling the frame's own pixels). Pyramids: 2×2 averages down,
/// bilinear up; reconstruction is exact (a mask of 1 everywhere gives back `over − under`).
public enum PyramidBlend {
    /// The blended difference, one SIMD4 (r, g, b, 0) per pixel, 0…255 scale: `under + result` is the blend.
    ///
    /// - Parameters:
    ///   - levels: bands, including the finest; fewer if the image gets smaller than 8 pixels.
    public static func difference(over: RGBImage, under: RGBImage, mask: AlphaMask, levels: Int) -> [SIMD4<Float>] {
        precondition(over.width == under.width && over.height == under.height, "image sizes differ")
        precondition(mask.width == over.width && mask.height == over.height, "mask size differs")
        let (w, h) = (over.width, over.height)
        var base = [SIMD4<Float>](repeating: .zero, count: w * h)
        over.pixels.withUnsafeBufferPointer { o in
            under.pixels.withUnsafeBufferPointer { u in
                for i in 0..<(w * h) {
                    base[i] = SIMD4(Float(o[3 * i]) - Float(u[3 * i]), Float(o[3 * i + 1]) - Float(u[3 * i + 1]),
                                    Float(o[3 * i + 2]) - Float(u[3 * i + 2]), 0)
                }
            }
        }
        var images = [Level<SIMD4<Float>>(values: base, width: w, height: h)]
        var masks = [Level<Float>(values: mask.values, width: w, height: h)]
        while images.count < levels, min(images.last!.width, images.last!.height) >= 16 {
            images.append(images.last!.halved())
            masks.append(masks.last!.halved())
        }
        // Collapse from the coarsest band: R_k = M_k·(G_k − up(G_k+1)) + up(R_k+1).
        let n = images.count - 1
        var result = images[n]
        result.multiply(by: masks[n])
        for k in stride(from: n - 1, through: 0, by: -1) {
            let (fine, mk) = (images[k], masks[k])
            let upImage = images[k + 1].doubled(width: fine.width, height: fine.height)
            let upResult = result.doubled(width: fine.width, height: fine.height)
            var values = upResult.values
            for i in values.indices { values[i] += mk.values[i] * (fine.values[i] - upImage.values[i]) }
            result = Level(values: values, width: fine.width, height: fine.height)
        }
        return result.values
    }

    /// One pyramid level.
    struct Level<V: PyramidValue> {
        var values: [V]
        let width: Int, height: Int

        /// 2×2 averages (an odd last row or column averages what it has).
        func halved() -> Level {
            let (hw, hh) = ((width + 1) / 2, (height + 1) / 2)
            var out = [V](repeating: .zero, count: hw * hh)
            values.withUnsafeBufferPointer { v in
                for y in 0..<hh {
                    let y0 = 2 * y, y1 = min(2 * y + 1, height - 1)
                    for x in 0..<hw {
                        let x0 = 2 * x, x1 = min(2 * x + 1, width - 1)
                        out[y * hw + x] = (v[y0 * width + x0] + v[y0 * width + x1] + v[y1 * width + x0]
                                           + v[y1 * width + x1]).scaled(0.25)
                    }
                }
            }
            return Level(values: out, width: hw, height: hh)
        }

        /// Bilinear upsampling to `width`×`height` (pixel centres aligned: fine x ↦ coarse (x + 0.5)/2 − 0.5).
        func doubled(width fw: Int, height fh: Int) -> Level {
            var out = [V](repeating: .zero, count: fw * fh)
            let (cw, ch) = (width, height)
            values.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in
                    for y in 0..<fh {
                        let sy = min(max((Float(y) + 0.5) / 2 - 0.5, 0), Float(ch - 1))
                        let y0 = Int(sy), y1 = min(y0 + 1, ch - 1), ty = sy - Float(y0)
                        for x in 0..<fw {
                            let sx = min(max((Float(x) + 0.5) / 2 - 0.5, 0), Float(cw - 1))
                            let x0 = Int(sx), x1 = min(x0 + 1, cw - 1), tx = sx - Float(x0)
                            let top = v[y0 * cw + x0].scaled(1 - tx) + v[y0 * cw + x1].scaled(tx)
                            let bottom = v[y1 * cw + x0].scaled(1 - tx) + v[y1 * cw + x1].scaled(tx)
                            o[y * fw + x] = top.scaled(1 - ty) + bottom.scaled(ty)
                        }
                    }
                }
            }
            return Level(values: out, width: fw, height: fh)
        }

        mutating func multiply(by mask: Level<Float>) {
            for i in values.indices { values[i] = values[i].scaled(mask.values[i]) }
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
