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
        let p = over + 3 &* i, q = under + 3 &* i
        return SIMD4(Float(p[0]), Float(p[1]), Float(p[2]), 0) - SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)
    }

    /// The blended pyramid below the finest band: R₁ (blended bands 1…n collapsed) and G₁ (the difference's second
    /// Gaussian level).
    public struct Bands {
        /// Per pixel of the second level: G₁ in lanes 0–3, R₁ in lanes 4–7 (one bilinear sample serves both).
        let levels: [SIMD8<Float>]
        /// Size of the second level.
        let coarseWidth: Int, coarseHeight: Int
        /// Bilinear taps of the second level under each column and row of the finest.
        let columns: [AxisTap], rows: [AxisTap]
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
                result = Self.collapse(images[k], mask: masks[k], coarseImage: images[k + 1], coarseResult: result)
            }
            let image = images[0]
            (coarseWidth, coarseHeight) = (image.width, image.height)
            self.levels = (0..<image.values.count).map { i in
                SIMD8(lowHalf: image.values[i], highHalf: result.values[i])
            }
            columns = AxisTap.taps(fine: w, coarse: image.width)
            rows = AxisTap.taps(fine: h, coarse: image.height)
        }

        /// R_k = M_k·(G_k − up(G_k+1)) + up(R_k+1), with the coarse levels' taps tabulated per column and row.
        private static func collapse(_ fine: Level<SIMD4<Float>>, mask: Level<Float>, coarseImage: Level<SIMD4<Float>>,
                                     coarseResult: Level<SIMD4<Float>>) -> Level<SIMD4<Float>> {
            let (fw, fh, cw) = (fine.width, fine.height, coarseImage.width)
            let columns = AxisTap.taps(fine: fw, coarse: cw), rows = AxisTap.taps(fine: fh, coarse: coarseImage.height)
            var values = [SIMD4<Float>](repeating: .zero, count: fw * fh)
            values.withUnsafeMutableBufferPointer { out in
                fine.values.withUnsafeBufferPointer { f in
                    mask.values.withUnsafeBufferPointer { m in
                        coarseImage.values.withUnsafeBufferPointer { g in
                            coarseResult.values.withUnsafeBufferPointer { r in
                                for y in 0..<fh {
                                    let row = rows[y]
                                    for x in 0..<fw {
                                        let i = y * fw + x
                                        let c = columns[x]
                                        let up = sample(g.baseAddress!, width: cw, column: c, row: row)
                                        out[i] = m[i] * (f[i] - up) + sample(r.baseAddress!, width: cw, column: c, row: row)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return Level(values: values, width: fw, height: fh)
        }

        /// Bilinear sample of a coarse level at the taps `column`, `row`.
        @inline(__always)
        static func sample<V: PyramidValue>(_ p: UnsafePointer<V>, width: Int, column c: AxisTap, row r: AxisTap) -> V {
            let top = p[r.i0 &* width &+ c.i0].scaled(1 - c.t) + p[r.i0 &* width &+ c.i1].scaled(c.t)
            let bottom = p[r.i1 &* width &+ c.i0].scaled(1 - c.t) + p[r.i1 &* width &+ c.i1].scaled(c.t)
            return top.scaled(1 - r.t) + bottom.scaled(r.t)
        }

        /// The full-resolution blended difference of the images these bands were made from.
        public func difference(over: RGBImage, under: RGBImage, mask: AlphaMask) -> [SIMD4<Float>] {
            var out = [SIMD4<Float>](repeating: .zero, count: width * height)
            over.pixels.withUnsafeBufferPointer { o in
                under.pixels.withUnsafeBufferPointer { u in
                    mask.values.withUnsafeBufferPointer { m in
                        out.withUnsafeMutableBufferPointer { d in
                            for y in 0..<height {
                                blendRow(y, columns: 0, through: width - 1, over: o.baseAddress!, under: u.baseAddress!,
                                         mask: m.baseAddress!, into: d.baseAddress! + y * width)
                            }
                        }
                    }
                }
            }
            return out
        }

        /// Row `y` of the full-resolution blend from column `x0` through `x1` into `out[0…x1 − x0]`, from the finest
        /// level's images (packed RGB, this size) and mask.
        package func blendRow(_ y: Int, columns x0: Int, through x1: Int, over: UnsafePointer<UInt8>,
                              under: UnsafePointer<UInt8>, mask: UnsafePointer<Float>,
                              into out: UnsafeMutablePointer<SIMD4<Float>>) {
            guard x0 <= x1 else { return }
            let row = rows[y]
            levels.withUnsafeBufferPointer { p in
                columns.withUnsafeBufferPointer { c in
                    // Wrapping index arithmetic here and in the samplers (the indices lie in the images and levels):
                    // checking them was over a quarter of this loop's instructions.
                    for x in x0...x1 {
                        let i = y &* width &+ x
                        let s = Self.sample(p.baseAddress!, width: coarseWidth, column: c[x], row: row)
                        out[x &- x0] = mask[i] * (pixelDifference(over, under, i) - s.lowHalf) + s.highHalf
                    }
                }
            }
        }
    }

    /// Bilinear taps of a coarser level along one axis (pixel centres aligned: fine i ↦ coarse (i + 0.5)/2 − 0.5,
    /// clamped).
    struct AxisTap {
        let i0: Int, i1: Int, t: Float

        static func taps(fine: Int, coarse: Int) -> [AxisTap] {
            (0..<fine).map { i in
                let s = min(max((Float(i) + 0.5) * 0.5 - 0.5, 0), Float(coarse - 1))
                let i0 = Int(s)
                return AxisTap(i0: i0, i1: min(i0 + 1, coarse - 1), t: s - Float(i0))
            }
        }
    }

    /// One pyramid level.
    struct Level<V: PyramidValue> {
        var values: [V]
        let width: Int, height: Int

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

extension SIMD8: PyramidValue where Scalar == Float {
    @inline(__always) func scaled(_ k: Float) -> SIMD8<Float> { self * k }
}
