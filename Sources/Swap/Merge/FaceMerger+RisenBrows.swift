import Face
import Imaging
import Stream

extension FaceMerger {
    /// How far past the measured rise ``risenBrows(of:points:faceWidth:)`` sweeps the brows' rings, as a share of
    /// the face width: the measure stops at the last dark step.
    static let risenBrowsOvershoot: Float = 0.02

    /// The growth (and feather) of the risen brows' mask, swap-space pixels: twice the relighting's feature margin
    /// (left out of the target's light, a narrower band still printed a faint darker line there).
    func risenBrowsMargin(faceWidth: Float) -> Float {
        max(2 * options.relighting.featureMargin * faceWidth, 1)
    }

    /// How far the risen brows' mask reaches above the brows themselves, swap-space pixels (its core's top).
    func risenBrowsReach(faceWidth: Float) -> Float {
        Self.risenBrowsOvershoot * faceWidth + risenBrowsMargin(faceWidth: faceWidth)
    }

    /// The target's brows where they reach above its brow landmarks (``SwappedFace/browRise``): the landmarks' rings
    /// swept up the face past the rise (``risenBrowsOvershoot``), grown and feathered by ``risenBrowsMargin(faceWidth:)``,
    /// short of the rings' outer ends; nil where they do not.
    func risenBrows(of swap: SwappedFace, points: [SIMD2<Float>], faceWidth: Float) -> AlphaMask? {
        guard swap.browRise > 0, points.count == FaceMeshTopology.pointCount else { return nil }
        let rings = [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing]
        let (line, up) = FaceMeshTopology.browLine(points)
        let shift = up * ((swap.browRise + Self.risenBrowsOvershoot) * faceWidth)
        let swept = rings.flatMap { ring in (0...4).map { k in ring.map { points[$0] + shift * (Float(k) / 4) } } }
        let margin = risenBrowsMargin(faceWidth: faceWidth)
        guard var placed = PolygonRasterizer.fill(swept, width: swap.image.width, height: swap.image.height,
                                                  grownBy: Int(margin.rounded()), feather: margin) else { return nil }
        // Not across the temples: the target's hair often falls over them just past the brows' tails, and as brow
        // it was no hair to keep (the new skin, lit by the hair, drew grey wings beside talk_woman_d10's brows).
        // FaceMesh's brow rings run on past her brows' tails into the hair: the mask stops 4 % of the face width
        // short of their ends (8 % let the hair's search take a brow's tail).
        let across = SIMD2(up.y, -up.x)
        let spread = rings.joined().map { ((points[$0] - line) * across).sum() }
        let (inner, outer) = (spread.min()! + 0.04 * faceWidth, spread.max()! - 0.04 * faceWidth)
        let fade = Ramp(from: max(0.005 * faceWidth, 1), full: 0)
        let (w, origin) = (placed.mask.width, SIMD2(Float(placed.origin.x), Float(placed.origin.y)))
        for y in 0..<placed.mask.height {
            for x in 0..<w where placed.mask.values[y * w + x] > 0 {
                let s = ((origin + SIMD2(Float(x), Float(y)) - line) * across).sum()
                let beyond = max(inner - s, s - outer)
                if beyond > 0 { placed.mask.values[y * w + x] *= fade(beyond) }
            }
        }
        return AlphaMask(width: swap.image.width, height: swap.image.height, placing: placed)
    }
}
