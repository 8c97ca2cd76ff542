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
    /// lips (the mouth's inside, teeth) and the band's outer pixel (where skin and lip meet). With the default
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
        let pad = (3 * sigma).rounded(.up) + 2
        let box = BoundingBox(bounding: outer)
        let x0 = max(0, Int((box.x - pad).rounded(.down))), y0 = max(0, Int((box.y - pad).rounded(.down)))
        let x1 = min(face.width - 1, Int((box.x + box.width + pad).rounded(.up)))
        let y1 = min(face.height - 1, Int((box.y + box.height + pad).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        let (w, h) = (x1 - x0 + 1, y1 - y0 + 1)
        let origin = SIMD2(Float(x0), Float(y0))
        var band = PolygonRasterizer.fill(outer.map { $0 - origin }, width: w, height: h)
        band.cut(PolygonRasterizer.fill(inner.map { $0 - origin }, width: w, height: h))
        var core = band
        core.erode(pixels: 1)
        guard core.values.contains(where: { $0 > 0.5 }) else { return }

        func planes(_ image: RGBImage) -> [[Float]] {
            var out = [[Float]](repeating: [Float](repeating: 0, count: w * h), count: 3)
            for y in 0..<h {
                for x in 0..<w {
                    let p = image[x0 + x, y0 + y]
                    out[0][y * w + x] = Float(p.r); out[1][y * w + x] = Float(p.g); out[2][y * w + x] = Float(p.b)
                }
            }
            return out
        }
        /// The lips' shading on `image`: nil-marked (−1) where no lip is near.
        func shading(_ rgb: [[Float]]) -> [[Float]] {
            let luma = (0..<(w * h)).map { (rgb[0][$0] + rgb[1][$0] + rgb[2][$0]) / 3 }
            var weight = core
            let median = Self.weightedMedian(luma, weight: weight.values)
            for i in weight.values.indices where weight.values[i] > 0 {
                let l = luma[i] / max(median, 1)
                let out = max(0, Self.lipDark - l, l - Self.lipBright)
                weight.values[i] *= exp(-(out * out) / (0.05 * 0.05))
            }
            return NormalisedConvolution.average(rgb, weight: weight, sigma: sigma, minimumMass: 0.05) { _, _ in -1 }
        }
        let t = shading(planes(target)), s = shading(planes(face))
        // Applied with a one-pixel feather: both lip outlines come from the same landmarks.
        var apply = band
        apply.gaussianBlur(sigma: 1)
        let (low, high) = (1 / limit, limit)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let m = min(apply.values[i], 1)
                guard m > 1 / 255, region[x0 + x, y0 + y] > 1 / 255, t[0][i] >= 0, s[0][i] >= 0 else { continue }
                let p = face[x0 + x, y0 + y]
                var v = SIMD3(Float(p.r), Float(p.g), Float(p.b))
                for k in 0..<3 {
                    var r = (t[k][i] + 1) / (s[k][i] + 1)
                    if strength != 1 { r = pow(r, strength) }
                    v[k] *= 1 + m * (min(max(r, low), high) - 1)
                }
                let q = v.rounded(.toNearestOrEven).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                face[x0 + x, y0 + y] = (UInt8(q.x), UInt8(q.y), UInt8(q.z))
            }
        }
    }

    /// Lip pixels darker than this share of the lips' median luma are not lip (the mouth's inside, a lip line).
    static let lipDark: Float = 0.6
    /// Lip pixels brighter than this share of the median are not lip (teeth, a highlight).
    static let lipBright: Float = 1.5

    /// The weighted median of `values` (0…255).
    static func weightedMedian(_ values: [Float], weight: [Float]) -> Float {
        var histogram = [Float](repeating: 0, count: 256)
        var total: Float = 0
        for i in values.indices where weight[i] > 0 {
            histogram[min(255, max(0, Int(values[i])))] += weight[i]
            total += weight[i]
        }
        guard total > 0 else { return 128 }
        var running: Float = 0
        for bin in 0..<256 {
            running += histogram[bin]
            if running >= total / 2 { return Float(bin) + 0.5 }
        }
        return 255
    }
}
