import Imaging
import Stream

/// The lips and the skin just round them, on a box of swap space: what the lip step relights and what tells a
/// moustache or beard from bare skin next to the lips.
struct LipSurround {
    /// Swap-space pixel of the box's pixel (0, 0), and the box's size.
    let x0: Int, y0: Int, width: Int, height: Int
    /// The outer lip ring filled.
    let lips: AlphaMask
    /// The lips between the outer and inner rings.
    let band: AlphaMask
    /// The band one pixel in from its edges (where skin and lip, or lip and mouth, meet).
    let core: AlphaMask
    /// The skin ring round the lips, ``skinRing`` of the face width wide, one pixel off them.
    let skin: AlphaMask
    /// Per pixel: whether it lies on the upper lip's side of the line through the mouth's corners.
    let upper: [Bool]

    /// Width of the skin ring as a share of the face width.
    static let skinRing: Float = 0.04
    /// A lip's skin ring whose darker quarter is at least this share of the skin's upper quartile is bare: no
    /// moustache or beard grows there (portrait_s12's moustache leaves 0.45–0.62 above his lip, while the ring's
    /// median, which the skin beside the mouth's corners lifted, reached 0.78; bare lips' rings 0.83 or more).
    static let bareSkin: Float = 0.75

    /// - Parameters:
    ///   - outer, inner: the lip rings in swap-space pixels (``FaceMeshTopology/outerLips``, ``innerLips``).
    ///   - margin: extra pixels round the skin ring the box holds (for filters that reach further).
    ///   - canvas: the swap space's size.
    init?(outer: [SIMD2<Float>], inner: [SIMD2<Float>], faceWidth: Float, margin: Float,
          canvas: (width: Int, height: Int)) {
        guard outer.count >= 4 else { return nil }
        let skinReach = Self.skinReach(faceWidth: faceWidth)
        let pad = margin + Float(skinReach) + 2
        let box = BoundingBox(bounding: outer)
        let x0 = max(0, Int((box.x - pad).rounded(.down))), y0 = max(0, Int((box.y - pad).rounded(.down)))
        let x1 = min(canvas.width - 1, Int((box.x + box.width + pad).rounded(.up)))
        let y1 = min(canvas.height - 1, Int((box.y + box.height + pad).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return nil }
        let (w, h) = (x1 - x0 + 1, y1 - y0 + 1)
        let origin = SIMD2(Float(x0), Float(y0))
        let lips = PolygonRasterizer.fill(outer.map { $0 - origin }, width: w, height: h)
        var band = lips
        band.cut(PolygonRasterizer.fill(inner.map { $0 - origin }, width: w, height: h))
        var core = band
        core.erode(pixels: 1)
        var skin = lips
        skin.erode(pixels: -skinReach)
        var grown = lips
        grown.erode(pixels: -1)
        skin.cut(grown)
        let line = MouthLine(outer: outer.map { $0 - origin })
        self.upper = (0..<(w * h)).map { i in line.isUpper(SIMD2(Float(i % w), Float(i / w))) }
        (self.x0, self.y0, self.width, self.height) = (x0, y0, w, h)
        (self.lips, self.band, self.core, self.skin) = (lips, band, core, skin)
    }

    /// The skin ring's width in pixels.
    private static func skinReach(faceWidth: Float) -> Int { max(2, Int((skinRing * faceWidth).rounded())) }

    /// The smallest margin whose box holds a disc of `radius` round every point of the outer lip ring (the box
    /// already reaches past the skin ring).
    static func margin(holding radius: Float, faceWidth: Float) -> Float {
        max(radius - Float(skinReach(faceWidth: faceWidth)) - 2, 0)
    }

    /// An image's brightness on the box (``luma(of:)``) with its skin's (``skinLuma(_:)``): what the kept parts
    /// round the mouth judge the swap and the target by.
    struct Brightness {
        let luma: [Float]
        let skin: Float

        init(of image: RGBImage, on around: LipSurround) {
            luma = around.luma(of: image)
            skin = around.skinLuma(luma)
        }
    }

    /// Mean of R, G and B over the box of `image`, per pixel.
    func luma(of image: RGBImage) -> [Float] {
        (0..<(width * height)).map { i in
            let p = image[x0 + i % width, y0 + i / width]
            return (Float(p.r) + Float(p.g) + Float(p.b)) / 3
        }
    }

    /// The `q`-quantile of `luma` over the box's pixels within `radius` of swap-space point `centre` (mid-grey
    /// without any).
    func quantileLuma(_ luma: [Float], near centre: SIMD2<Float>, radius: Float, _ q: Float) -> Float {
        let c = centre - SIMD2(Float(x0), Float(y0))
        var histogram = LumaHistogram()
        let (ya, yb) = (max(0, Int((c.y - radius).rounded(.down))), min(height - 1, Int((c.y + radius).rounded(.up))))
        let (xa, xb) = (max(0, Int((c.x - radius).rounded(.down))), min(width - 1, Int((c.x + radius).rounded(.up))))
        guard ya <= yb, xa <= xb else { return 128 }
        for y in ya...yb {
            for x in xa...xb {
                let d = SIMD2(Float(x), Float(y)) - c
                guard (d * d).sum() <= radius * radius else { continue }
                histogram.add(luma[y * width + x])
            }
        }
        return histogram.quantile(q) ?? 128
    }

    /// The skin ring's upper quartile of `luma`: the skin's own brightness (a moustache or beard in the ring is far
    /// darker than the skin it grows on).
    func skinLuma(_ luma: [Float]) -> Float {
        max(Self.quantile(luma, weight: skin.values, 0.75), 1)
    }

    /// The weighted `q`-quantile of `luma` on one side of the mouth line.
    func quantile(_ luma: [Float], upper side: Bool, weight: [Float], _ q: Float) -> Float {
        max(Self.quantile(luma, weight: weight.indices.map { upper[$0] == side ? weight[$0] : 0 }, q), 1)
    }

    /// The darker quarter of the skin ring on one lip's side: as bright as skin where it is bare, far darker under
    /// a moustache or beard.
    func darkerQuarter(_ luma: [Float], upper side: Bool) -> Float {
        quantile(luma, upper: side, weight: skin.values, 0.25)
    }

    /// Whether the skin ring on one lip's side is bare: its darker quarter as bright as skin.
    func isBare(_ luma: [Float], upper side: Bool, skinLuma: Float) -> Bool {
        darkerQuarter(luma, upper: side) >= Self.bareSkin * skinLuma
    }

    /// How bare the skin ring on one lip's side is, 0…1: 0 where its darker quarter is at most ``hairyLevel`` of
    /// the skin's brightness, 1 from ``bareLevel``, linear between (no step from frame to frame).
    func bareShare(_ luma: [Float], upper side: Bool, skinLuma: Float) -> Float {
        let share = darkerQuarter(luma, upper: side) / skinLuma
        return min(max((share - Self.hairyLevel) / (Self.bareLevel - Self.hairyLevel), 0), 1)
    }

    /// The darker quarter's share of the skin's brightness up to which ``bareShare(_:upper:skinLuma:)`` reads hair,
    /// and from which bare skin. On photos as drawn (before relighting) over 90 frames of four talking heads:
    /// portrait_s12's moustache 0.22–0.42; bare skin 0.72–0.95 (portrait_s1, s2, s11, the astronaut).
    static let hairyLevel: Float = 0.5
    static let bareLevel: Float = 0.7

    /// The weighted `q`-quantile of `values` (0…255); mid-grey without weight.
    static func quantile(_ values: [Float], weight: [Float], _ q: Float) -> Float {
        var histogram = LumaHistogram()
        for i in values.indices where weight[i] > 0 { histogram.add(values[i], weight: weight[i]) }
        return histogram.quantile(q) ?? 128
    }
}
