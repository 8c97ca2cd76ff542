import Foundation
import Imaging
import Stream

extension Relighting {
    /// Relights the lips with the target's lip shading under the swap's finest lip texture.
    ///
    /// The skin's shading leaves the lips out, so without this step the new lips keep their own tone against the
    /// skin: a photo's thin, pale lips (with the photo's own highlights, enlarged) stay pale on a target whose lips
    /// are red and shadowed, and read as skin — to a viewer, and to a landmarker, which then finds the lower lip
    /// higher and the mouth less open than the target's (docs/BENCHMARKS.md, "Fifth round"). A mesh or aligned swap
    /// lays the new lips on the target's lip outline, so the two lip bands (outer minus inner lip ring) coincide:
    /// each pixel of the band is multiplied by the target's lip shading ÷ the swap's, both normalised averages over
    /// the band (σ `lipScale` × face width, at least 1 px) that leave out what is far darker or brighter than the
    /// lips (the mouth's inside, teeth, a moustache over the lips) and the band's outer pixel (where skin and lip
    /// meet); where the band holds little lip the step fades out. With the default
    /// σ the lips' colour, shading and edges are the target's; the swap keeps its finest lip texture.
    ///
    /// - Parameters:
    ///   - outer, inner: the target's outer and inner lip rings in swap-space pixels.
    ///   - region: where the face may change (> 1/255).
    ///   - faceWidth: width of the face in swap-space pixels.
    func relightLips(_ face: inout RGBImage, target: RGBImage, outer: [SIMD2<Float>], inner: [SIMD2<Float>],
                     region: AlphaMask, faceWidth: Float) {
        guard strength > 0, lipScale > 0, outer.count >= 3 else { return }
        let sigma = max(lipScale * faceWidth, 1)
        let skinReach = max(2, Int((Self.skinRing * faceWidth).rounded()))
        let pad = (3 * sigma).rounded(.up) + Float(skinReach) + 2
        let box = BoundingBox(bounding: outer)
        let x0 = max(0, Int((box.x - pad).rounded(.down))), y0 = max(0, Int((box.y - pad).rounded(.down)))
        let x1 = min(face.width - 1, Int((box.x + box.width + pad).rounded(.up)))
        let y1 = min(face.height - 1, Int((box.y + box.height + pad).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        let (w, h) = (x1 - x0 + 1, y1 - y0 + 1)
        let origin = SIMD2(Float(x0), Float(y0))
        let lips = PolygonRasterizer.fill(outer.map { $0 - origin }, width: w, height: h)
        var band = lips
        band.cut(PolygonRasterizer.fill(inner.map { $0 - origin }, width: w, height: h))
        var core = band
        core.erode(pixels: 1)
        guard core.values.contains(where: { $0 > 0.5 }) else { return }
        // The skin just around the lips: what the lips' darkness is judged against.
        var skin = lips
        skin.erode(pixels: -skinReach)
        var grown = lips
        grown.erode(pixels: -1)
        skin.cut(grown)
        // Which side of the line through the mouth's corners each pixel lies on: the upper lip's or the lower's.
        let (right, left) = (outer[0] - origin, outer[outer.count / 2] - origin)
        let across = left - right
        func side(_ p: SIMD2<Float>) -> Float { across.x * (p.y - right.y) - across.y * (p.x - right.x) }
        let upperSign = side(outer[outer.count * 3 / 4] - origin) >= 0
        let upper = (0..<(w * h)).map { i in (side(SIMD2(Float(i % w), Float(i / w))) >= 0) == upperSign }
        var coreMass = core
        coreMass.gaussianBlur(sigma: sigma, clamped: false)

        /// The lips' shading on `image` and how much of the lip band around each pixel it rests on (0…1): little
        /// where the band holds no lip (a moustache over the lips is far darker than the skin; teeth far brighter
        /// than the lips).
        func shading(_ rgb: [[Float]]) -> (shade: [[Float]], confidence: [Float]) {
            let luma = (0..<(w * h)).map { (rgb[0][$0] + rgb[1][$0] + rgb[2][$0]) / 3 }
            var weight = core
            // The upper quartile: a moustache or beard in the ring is far darker than the skin it grows on.
            let skinLuma = max(Self.quantile(luma, weight: skin.values, 0.75), 1)
            // Each lip against its own median: under a top light the upper lip is in shadow and the lower one
            // bright, and against both together the whole lower lip would read as teeth. What is far darker than
            // the skin is hair where the skin next to that lip is dark too (a moustache, a beard); next to bare
            // skin a lip in its own shadow is lip, and only what is far darker than the lip is not (the mouth's
            // inside).
            func quantile(upper side: Bool, of values: [Float], _ q: Float) -> Float {
                max(Self.quantile(luma, weight: values.indices.map { upper[$0] == side ? values[$0] : 0 }, q), 1)
            }
            let lipLuma = (quantile(upper: true, of: weight.values, 0.5), quantile(upper: false, of: weight.values, 0.5))
            func darkReference(upper side: Bool) -> Float {
                quantile(upper: side, of: skin.values, 0.25) >= Self.bareSkin * skinLuma
                    ? (side ? lipLuma.0 : lipLuma.1) : skinLuma
            }
            let dark = (darkReference(upper: true), darkReference(upper: false))
            for i in weight.values.indices where weight.values[i] > 0 {
                let (median, reference) = upper[i] ? (lipLuma.0, dark.0) : (lipLuma.1, dark.1)
                let out = max(0, Self.lipDark - luma[i] / reference, luma[i] / median - Self.lipBright)
                weight.values[i] *= exp(-(out * out) / (0.05 * 0.05))
            }
            let (shade, mass) = NormalisedConvolution.averageAndMass(rgb, weight: weight, sigma: sigma,
                                                                     minimumMass: 0.05) { _, _ in -1 }
            let confidence = (0..<(w * h)).map { i in
                min(max(mass.values[i] / max(coreMass.values[i], 1e-3) * 2, 0), 1)
            }
            return (shade, confidence)
        }
        let t = shading(target.planes(x: x0, y: y0, width: w, height: h))
        let s = shading(face.planes(x: x0, y: y0, width: w, height: h))
        // Applied with a one-pixel feather: both lip outlines come from the same landmarks.
        var apply = band
        apply.gaussianBlur(sigma: 1)
        let (low, high) = (1 / limit, limit)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let m = min(apply.values[i], 1) * min(t.confidence[i], s.confidence[i])
                guard m > 1 / 255, region[x0 + x, y0 + y] > 1 / 255, t.shade[0][i] >= 0, s.shade[0][i] >= 0 else { continue }
                let p = face[x0 + x, y0 + y]
                var v = SIMD3(Float(p.r), Float(p.g), Float(p.b))
                // The swap's own non-lip pixels in the band (its teeth or mouth's inside where its landmarks were
                // off) are brought within the lips' range before they take the target's lip tone.
                let shade = (s.shade[0][i] + s.shade[1][i] + s.shade[2][i]) / 3
                let detail = v.sum() / 3 / max(shade, 1)
                let clamped = min(max(detail, Self.lipDark), Self.lipBright)
                let fix = detail > 0 ? clamped / detail : 1
                for k in 0..<3 {
                    var r = (t.shade[k][i] + 1) / (s.shade[k][i] + 1)
                    if strength != 1 { r = pow(r, strength) }
                    v[k] *= 1 + m * (min(max(r * fix, low), high) - 1)
                }
                let q = v.rounded(.toNearestOrEven).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                face[x0 + x, y0 + y] = (UInt8(q.x), UInt8(q.y), UInt8(q.z))
            }
        }
    }

    /// Width of the skin ring around the lips the lips are compared with, as a share of the face width.
    static let skinRing: Float = 0.04
    /// Lip pixels darker than this share of the skin around them (of the lip's median next to bare skin) are not
    /// lip (a moustache, the mouth's inside).
    static let lipDark: Float = 0.5
    /// A lip's skin ring whose darker quarter is at least this share of the skin's upper quartile is bare: no
    /// moustache or beard grows there (portrait_s12's moustache leaves 0.45–0.62 above his lip, while the ring's
    /// median, which the skin beside the mouth's corners lifts, reached 0.78; bare lips' rings 0.83 or more).
    static let bareSkin: Float = 0.75
    /// Lip pixels brighter than this share of their lip's median are not lip (teeth, a highlight).
    static let lipBright: Float = 1.5

    /// The weighted `q`-quantile of `values` (0…255); mid-grey without weight.
    private static func quantile(_ values: [Float], weight: [Float], _ q: Float) -> Float {
        var histogram = LumaHistogram()
        for i in values.indices where weight[i] > 0 { histogram.add(values[i], weight: weight[i]) }
        return histogram.quantile(q) ?? 128
    }
}
