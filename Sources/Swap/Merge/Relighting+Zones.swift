import Foundation
import Imaging

extension Relighting {
    /// The face's zones per coarse cell (0…1): `interior`, 0 in a band along the border of the swap's weight and 1
    /// deep inside the face (eyes, nose, cheeks, brows); `lips`, 1 up to the lips' edge, fading around them.
    ///
    /// The border and the lips are where the merge is judged against the target (colour at the border of the
    /// replaced region; the lips' motion to a landmarker): there the target's fine shading may be needed. Inside,
    /// the fine shading also carries the target's face shape in light (nose, eye sockets, cheekbones), which is its
    /// identity; the coarse one leaves the new face's own modelling.
    ///
    /// - Parameters:
    ///   - weight: the swap's weight per cell (0…1, cell averages).
    ///   - mouth: the outer lip ring in cell coordinates.
    ///   - faceWidth: width of the face in cells.
    func zones(weight: AlphaMask, mouth: [SIMD2<Float>], faceWidth: Float) -> (interior: [Float], lips: [Float]) {
        // Blurring the weight with σ = the band gives Φ(d / σ) at depth d inside its edge: the interior starts one
        // band inside (0.84) and is full at two (0.977).
        var inner = weight
        inner.gaussianBlur(sigma: max(borderBand * faceWidth, 0.5))
        let interior = inner.values.map(Ramp(from: 0.84, full: 0.977).callAsFunction)
        return (interior, lipsZone(width: weight.width, height: weight.height, mouth: mouth,
                                   sigma: mouthReach * faceWidth))
    }

    /// Per cell (0…1), 1 up to the lips' edge (`mouth`, in cells), fading over ≈ 2 `sigma` cells around them.
    func lipsZone(width: Int, height: Int, mouth: [SIMD2<Float>], sigma: Float) -> [Float] {
        var lips = AlphaMask(width: width, height: height)
        if mouth.count >= 3 {
            PolygonRasterizer.fill(mouth, into: &lips)
            lips.gaussianBlur(sigma: max(sigma, 0.5))
        }
        // Lips are thinner than the blur, so the blurred polygon is judged against its own peak: full over the lips
        // and up to about their edge (half the peak), fading over ≈ 2σ around them.
        let peak = lips.maximum
        guard peak > 1e-3 else { return [Float](repeating: 0, count: width * height) }
        return lips.values.map { min(2 * $0 / peak, 1) }
    }

    /// Per cell, the log brightness to add to the fine shading's ratio: all of `difference` (coarse minus fine
    /// log brightness) inside the face, none over the lips, and in the border band only its deviation from its
    /// own average along the border (σ ``borderSmoothing``), so the band's mean brightness stays the target's fine
    /// one while its modelling there becomes the coarse shading's. Above the brows the band keeps the fine shading
    /// (``foreheadShare``). With `borderSmoothing` 0 this is the zones' blend alone (fine in the band).
    ///
    /// With `kept` (per cell), that much of `difference` is left out inside the face, away from the lips
    /// (``sideLightMouthReach``): there the fine shading's share stays.
    ///
    /// All arguments are in cells (`weight`: the swap's weight per cell).
    func brightnessShift(_ difference: [Float], weight: AlphaMask, mouth: [SIMD2<Float>], brows: [[SIMD2<Float>]],
                         faceWidth: Float, keeping kept: [Float]? = nil) -> [Float] {
        let (interior, lips) = zones(weight: weight, mouth: mouth, faceWidth: faceWidth)
        // What the band leaves of `difference`: all of it (the fine shading) or its average along the band.
        var band = difference
        if borderSmoothing > 0 {
            // Averaged along the border, not across it: normalised convolutions over the band's cells in a few
            // depth layers (the weight blurred as for the zones: 0.5 at the edge, 0.84 one band inside), each cell
            // reading the layers at its own depth. A face darkening towards its edge keeps its falloff.
            var depth = weight
            depth.gaussianBlur(sigma: max(borderBand * faceWidth, 0.5))
            let layers: [Float] = [0.55, 0.7, 0.85]
            func membership(_ v: Float, _ k: Int) -> Float {
                let below = k == 0 ? -Float.infinity : layers[k - 1], above = k == layers.count - 1 ? Float.infinity : layers[k + 1]
                if v <= layers[k] { return v <= below ? 0 : (k == 0 ? 1 : (v - below) / (layers[k] - below)) }
                return v >= above ? 0 : (k == layers.count - 1 ? 1 : (above - v) / (above - layers[k]))
            }
            var average = [Float](repeating: 0, count: band.count)
            let sigma = max(borderSmoothing * faceWidth, 0.5)
            for k in layers.indices {
                var sum = AlphaMask(width: weight.width, height: weight.height), mass = sum
                for c in band.indices {
                    let w = membership(depth.values[c], k) * (1 - interior[c]) * min(weight.values[c], 1)
                    sum.values[c] = w * difference[c]
                    mass.values[c] = w
                }
                sum.gaussianBlur(sigma: sigma)
                mass.gaussianBlur(sigma: sigma)
                for c in band.indices where mass.values[c] > 1e-4 {
                    average[c] += membership(depth.values[c], k) * sum.values[c] / mass.values[c]
                }
            }
            let forehead = foreheadShare(width: weight.width, height: weight.height, brows: brows, mouth: mouth,
                                         faceWidth: faceWidth)
            for c in band.indices {
                band[c] = forehead[c] * difference[c] + (1 - forehead[c]) * average[c]
            }
        }
        let spared = kept == nil ? lips : lipsZone(width: weight.width, height: weight.height, mouth: mouth,
                                                    sigma: sideLightMouthReach * faceWidth)
        return band.indices.map { c in
            (1 - lips[c]) * (difference[c] - (1 - interior[c]) * band[c]) - (1 - spared[c]) * interior[c] * (kept?[c] ?? 0)
        }
    }

    /// Per cell, 0 below the brows' centre line rising to 1 at ``foreheadReach`` above it (measured along the
    /// mouth → brows direction, so a tilted head tilts the line); all 0 without brows or mouth.
    func foreheadShare(width: Int, height: Int, brows: [[SIMD2<Float>]], mouth: [SIMD2<Float>],
                       faceWidth: Float) -> [Float] {
        func centre(_ ring: [SIMD2<Float>]) -> SIMD2<Float> { ring.reduce(.zero, +) / Float(ring.count) }
        let rings = brows.filter { !$0.isEmpty }
        guard foreheadReach > 0, !rings.isEmpty, !mouth.isEmpty else {
            return [Float](repeating: 0, count: width * height)
        }
        let line = rings.map(centre).reduce(.zero, +) / Float(rings.count)
        var up = line - centre(mouth)
        up /= max((up * up).sum().squareRoot(), 1e-6)
        let reach = max(foreheadReach * faceWidth, 1e-3)
        return (0..<(width * height)).map { c in
            let p = SIMD2(Float(c % width), Float(c / width))
            return Ramp.smoothstep(min(max(((p - line) * up).sum() / reach, 0), 1))
        }
    }
}
