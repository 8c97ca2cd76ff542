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
        guard let around = LipSurround(outer: outer, inner: inner, faceWidth: faceWidth, margin: (3 * sigma).rounded(.up),
                                       canvas: (face.width, face.height)) else { return }
        let (x0, y0, w, h) = (around.x0, around.y0, around.width, around.height)
        let (band, core) = (around.band, around.core)
        guard core.values.contains(where: { $0 > 0.5 }) else { return }
        var coreMass = core
        coreMass.gaussianBlur(sigma: sigma, clamped: false)

        /// The lips' shading on `image` and how much of the lip band around each pixel it rests on (0…1): little
        /// where the band holds no lip (a moustache over the lips is far darker than the skin; teeth far brighter
        /// than the lips).
        func shading(_ rgb: [[Float]]) -> (shade: [[Float]], confidence: [Float]) {
            let luma = (0..<(w * h)).map { (rgb[0][$0] + rgb[1][$0] + rgb[2][$0]) / 3 }
            var weight = core
            let skinLuma = around.skinLuma(luma)
            // Each lip against its own median: under a top light the upper lip is in shadow and the lower one
            // bright, and against both together the whole lower lip would read as teeth. What is far darker than
            // the skin is hair where the skin next to that lip is dark too (a moustache, a beard); next to bare
            // skin a lip in its own shadow is lip, and only what is far darker than the lip is not (the mouth's
            // inside).
            let lipLuma = (around.quantile(luma, upper: true, weight: weight.values, 0.5),
                           around.quantile(luma, upper: false, weight: weight.values, 0.5))
            func darkReference(upper side: Bool) -> Float {
                around.isBare(luma, upper: side, skinLuma: skinLuma) ? (side ? lipLuma.0 : lipLuma.1) : skinLuma
            }
            let dark = (darkReference(upper: true), darkReference(upper: false))
            for i in weight.values.indices where weight.values[i] > 0 {
                let (median, reference) = around.upper[i] ? (lipLuma.0, dark.0) : (lipLuma.1, dark.1)
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

    /// Lip pixels darker than this share of the skin around them (of the lip's median next to bare skin) are not
    /// lip (a moustache, the mouth's inside).
    static let lipDark: Float = 0.5
    /// Lip pixels brighter than this share of their lip's median are not lip (teeth, a highlight).
    static let lipBright: Float = 1.5
}
