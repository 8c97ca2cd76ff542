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
        var lips = AlphaMask(width: weight.width, height: weight.height)
        if mouth.count >= 3 {
            PolygonRasterizer.fill(mouth, into: &lips)
            lips.gaussianBlur(sigma: max(mouthReach * faceWidth, 0.5))
        }
        let interior = inner.values.map { v in
            let t = min(max((v - 0.84) / (0.977 - 0.84), 0), 1)
            return t * t * (3 - 2 * t)
        }
        // Lips are thinner than the blur, so the blurred polygon is judged against its own peak: full over the lips
        // and up to about their edge (half the peak), fading over ≈ 2σ around them.
        let peak = lips.values.max() ?? 0
        guard peak > 1e-3 else { return (interior, [Float](repeating: 0, count: interior.count)) }
        return (interior, lips.values.map { min(2 * $0 / peak, 1) })
    }

    /// The share of the fine shading per cell from the zones alone: 1 at the border and the lips, 0 inside.
    func fineShare(weight: AlphaMask, mouth: [SIMD2<Float>], faceWidth: Float) -> [Float] {
        let (interior, lips) = zones(weight: weight, mouth: mouth, faceWidth: faceWidth)
        return interior.indices.map { 1 - interior[$0] * (1 - lips[$0]) }
    }
}
