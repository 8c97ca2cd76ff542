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
    /// meet); where the band round a pixel holds little lip, a wider shading stands in (see `shading` below). At the
    /// band's outer edge a pixel takes the lips' tone only as far as its colour is the swap's lip's rather than its
    /// skin's. With the default σ the lips' colour, shading and edges are the target's; the swap keeps its finest lip
    /// texture, its creases down to ``lipDark`` and its highlights up to ``lipHighlight`` of its lips' shading.
    ///
    /// - Parameters:
    ///   - around: the target's lips and the skin round them in swap space, with at least ``lipMargin(faceWidth:)``
    ///     pixels of margin.
    ///   - region: where the face may change (> 1/255).
    ///   - faceWidth: width of the face in swap-space pixels.
    ///   - swapUpperLipBare: whether the swap's skin above its upper lip is bare (no moustache), when known for the
    ///     face as a whole (a photo's, ``PhotoMoustache``); nil = judged on this frame's skin ring. A photo's
    ///     lipstick reaching past the ring darkens that ring like hair, and its dark red lips were then left out of
    ///     the swap's lip shading as a moustache and kept their colour (portrait_s1 on talk_studio_1). Known not to
    ///     be bare, the swap's upper lip is left as it is: a photo's moustache hangs over it.
    func relightLips(_ face: inout RGBImage, target: RGBImage, around: LipSurround, region: AlphaMask, faceWidth: Float,
                     swapUpperLipBare: Bool? = nil) {
        guard strength > 0, lipScale > 0 else { return }
        let sigma = lipSigma(faceWidth: faceWidth)
        let (x0, y0, w, h) = (around.x0, around.y0, around.width, around.height)
        let (band, core) = (around.band, around.core)
        guard core.values.contains(where: { $0 > 0.5 }) else { return }
        var coreMass = core
        coreMass.gaussianBlur(sigma: sigma, clamped: false)

        /// The lips' shading on `rgb` and how far it can be trusted (0…1). Locally it rests on the lip pixels of
        /// the band round each pixel, which leave out what is far darker than the skin (a moustache) or far brighter
        /// than the lips (teeth); where the band holds little lip, a wider shading takes over (`ownColour`: the
        /// image's own colour there, else its lip's mean) and the confidence is 1, or, with none, it is low.
        func shading(_ rgb: [[Float]], ownColour: Bool, upperBare: Bool? = nil) -> (shade: [[Float]], confidence: [Float]) {
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
            func isBare(upper side: Bool) -> Bool {
                (side ? upperBare : nil) ?? around.isBare(luma, upper: side, skinLuma: skinLuma)
            }
            func darkReference(upper side: Bool) -> Float {
                isBare(upper: side) ? (side ? lipLuma.0 : lipLuma.1) : skinLuma
            }
            let dark = (darkReference(upper: true), darkReference(upper: false))
            for i in weight.values.indices where weight.values[i] > 0 {
                let (median, reference) = around.upper[i] ? (lipLuma.0, dark.0) : (lipLuma.1, dark.1)
                let out = max(0, Self.lipDark - luma[i] / reference, luma[i] / median - Self.lipBright)
                weight.values[i] *= exp(-(out * out) / (0.05 * 0.05))
            }
            var (shade, mass) = NormalisedConvolution.averageAndMass(rgb, weight: weight, sigma: sigma,
                                                                     minimumMass: 0.05) { _, _ in -1 }
            // Where the band round a pixel holds little lip, the local shading gives way to a wider one. On the
            // target: its own colour there (a shadowed corner, the dark inner margin of an open mouth stay dark), but
            // on an upper lip under a moustache its lip's mean (the new lips do not take the hair's darkness). On the
            // swap: its lip's mean (its teeth or mouth's inside at the inner ring), but under its own moustache the
            // step fades out (the hair stays dark). Nothing hangs over a lower lip, and the skin below it is often
            // dark with the lip's own shadow: a lower lip counts as bare.
            var sums = [SIMD4<Float>](repeating: .zero, count: 2)
            for i in weight.values.indices where weight.values[i] > 0 {
                sums[around.upper[i] ? 0 : 1] += weight.values[i] * SIMD4(rgb[0][i], rgb[1][i], rgb[2][i], 1)
            }
            let means = sums.map { $0.w >= 4 ? SIMD3($0.x, $0.y, $0.z) / $0.w : nil }
            let bare = isBare(upper: true)
            let own = ownColour ? NormalisedConvolution.average(rgb, weight: core, mass: coreMass, sigma: sigma,
                                                                 minimumMass: 0.05) { _, _ in -1 } : nil
            var confidence = [Float](repeating: 0, count: w * h)
            // The planes taken out of the nested array and written through pointers: writing `shade[k][i]` (or a
            // local array) checked its uniqueness per pixel.
            var (red, green, blue) = (shade[0], shade[1], shade[2])
            shade = []
            confidence.withUnsafeMutableBufferPointer { confidence in
            red.withUnsafeMutableBufferPointer { red in
            green.withUnsafeMutableBufferPointer { green in
            blue.withUnsafeMutableBufferPointer { blue in
                for i in confidence.indices {
                    let local = red[i] >= 0 ? min(max(mass.values[i] / max(coreMass.values[i], 1e-3) * 2, 0), 1) : 0
                    let upper = around.upper[i]
                    let wide: SIMD3<Float>?
                    if let own {
                        let isOwn = (!upper || bare) && own[0][i] >= 0
                        wide = isOwn ? SIMD3(own[0][i], own[1][i], own[2][i]) : means[upper ? 0 : 1]
                    } else {
                        wide = !upper || bare ? means[upper ? 0 : 1] : nil
                    }
                    guard let wide else {
                        confidence[i] = local
                        continue
                    }
                    confidence[i] = 1
                    red[i] = local * max(red[i], 0) + (1 - local) * wide[0]
                    green[i] = local * max(green[i], 0) + (1 - local) * wide[1]
                    blue[i] = local * max(blue[i], 0) + (1 - local) * wide[2]
                }
            }}}}
            return ([red, green, blue], confidence)
        }
        let t = shading(target.planes(x: x0, y: y0, width: w, height: h), ownColour: true)
        let planes = face.planes(x: x0, y: y0, width: w, height: h)
        let s = shading(planes, ownColour: false, upperBare: swapUpperLipBare)
        // The swap's skin colour round its lips: at the band's outer edge a pixel is part skin, part lip, and only
        // its lip part takes the lips' tone (else a red lip's edge turns a pale line on the skin).
        var skinSum = SIMD4<Float>.zero
        for i in around.skin.values.indices where around.skin.values[i] > 0.5 {
            skinSum += SIMD4(planes[0][i], planes[1][i], planes[2][i], 1)
        }
        let skinChroma = skinSum.w >= 16 ? SIMD3(skinSum.x, skinSum.y, skinSum.z).chroma : nil
        // Applied with a one-pixel feather (both lip outlines come from the same landmarks), and a rim into the
        // mouth's opening (``lipOpeningRim``).
        var apply = band
        if lipOpeningRim > 0 {
            var opening = around.lips
            opening.cut(band)
            opening.erode(pixels: lipOpeningRim)
            apply = around.lips
            apply.cut(opening)
        }
        apply.gaussianBlur(sigma: 1)
        let (low, high) = (1 / limit, limit)
        // A photo known to wear a moustache keeps its upper lip: there the band is its hair, whose lighter gaps
        // passed as lip and took the target's lip tone, pale blobs between the moustache and the lower lip that
        // read as teeth on a closed mouth (portrait_s12 on talk_studio_1).
        let upperIsHair = swapUpperLipBare == false
        let stride = face.width
        face.pixels.withUnsafeMutableBufferPointer { px in
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    if upperIsHair, around.upper[i] { continue }
                    var m = min(apply.values[i], 1) * min(t.confidence[i], s.confidence[i])
                    guard m > 1 / 255, region[x0 + x, y0 + y] > 1 / 255, t.shade[0][i] >= 0, s.shade[0][i] >= 0 else { continue }
                    let q = px.baseAddress! + 3 * ((y0 + y) * stride + x0 + x)
                    var v = SIMD3(Float(q[0]), Float(q[1]), Float(q[2]))
                    // At the band's outer edge (not its inner one, round the mouth's opening).
                    if let skinChroma, core.values[i] < 0.5, !(around.lips.values[i] > 0.5 && band.values[i] < 0.5) {
                        let lip = SIMD3(s.shade[0][i], s.shade[1][i], s.shade[2][i]).chroma
                        m *= Self.lipShare(v.chroma, lip: lip, skin: skinChroma)
                    }
                    // The swap's own non-lip pixels in the band (its teeth or mouth's inside where its landmarks were
                    // off, its skin where its lips end inside the ring) are brought within the lips' range before
                    // they take the target's lip tone; so are its lips' highlights (``lipHighlight``).
                    let shade = (s.shade[0][i] + s.shade[1][i] + s.shade[2][i]) / 3
                    let detail = v.sum() / 3 / max(shade, 1)
                    let clamped = min(max(detail, Self.lipDark), lipHighlight)
                    let fix = detail > 0 ? clamped / detail : 1
                    for k in 0..<3 {
                        var r = (t.shade[k][i] + 1) / (s.shade[k][i] + 1)
                        if strength != 1 { r = pow(r, strength) }
                        v[k] *= 1 + m * (min(max(r * fix, low), high) - 1)
                    }
                    let rounded = v.rounded(.toNearestOrEven).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                    (q[0], q[1], q[2]) = (UInt8(rounded.x), UInt8(rounded.y), UInt8(rounded.z))
                }
            }
        }
    }

    /// The σ of the lips' own shading in swap-space pixels.
    func lipSigma(faceWidth: Float) -> Float { max(lipScale * faceWidth, 1) }

    /// The margin round the lips' skin ring the lip step's ``LipSurround`` needs (its shading's reach).
    func lipMargin(faceWidth: Float) -> Float { (3 * lipSigma(faceWidth: faceWidth)).rounded(.up) }

    /// How far chroma `c` lies from the skin's towards the lip's (0…1); 1 when the two are too close to tell.
    static func lipShare(_ c: SIMD3<Float>, lip: SIMD3<Float>, skin: SIMD3<Float>) -> Float {
        let axis = lip - skin
        let span = (axis * axis).sum()
        guard span >= 0.05 * 0.05 else { return 1 }
        let t = ((c - skin) * axis).sum() / span
        return min(max((t - 0.2) / 0.6, 0), 1)
    }

    /// Lip pixels darker than this share of the skin around them (of the lip's median next to bare skin) are not
    /// lip (a moustache, the mouth's inside).
    static let lipDark: Float = 0.5
    /// Lip pixels brighter than this share of their lip's median are not lip (teeth, a highlight): left out of the
    /// lips' shading.
    static let lipBright: Float = 1.5
}
