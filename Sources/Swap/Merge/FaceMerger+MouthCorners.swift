import Foundation
import Face
import Imaging
import Stream

extension FaceMerger {
    /// The mouth's corners kept from the target (``Options/keptMouthCorner``): a disc round each, with the share
    /// (0…1) it is kept by. A corner is kept as far as the swap's is darker against its skin than the target's
    /// (a photo's own creases, or the dark point where its lips meet; ``cornerDarker``, on the disc's darker tenth
    /// (``cornerDarkShare``), which a small dark point moves where the disc's mean barely does) and no moustache
    /// grows over the swap's lips
    /// (``LipSurround/bareShare(_:upper:skinLuma:)`` of the skin above the upper lip). Below the lower lip a photo's
    /// own top light casts a shadow as dark as a beard (portrait_s2), and the corners of a mouth under a chin beard
    /// are bare.
    ///
    /// - Parameter around: the lips and the skin round them, with a box that holds a disc of
    ///   ``mouthCornerRadius(points:)`` round each corner (``LipSurround/margin(holding:faceWidth:)``).
    func mouthCorners(of image: RGBImage, target: RGBImage, points: [SIMD2<Float>], around: LipSurround)
        -> (discs: [(polygon: [SIMD2<Float>], share: Float)], radius: Float)? {
        let corners = [points[FaceMeshTopology.mouthRight], points[FaceMeshTopology.mouthLeft]]
        let radius = mouthCornerRadius(points: points)
        guard radius >= 1 else { return nil }
        let luma = around.luma(of: image)
        let skin = around.skinLuma(luma)
        let bare = around.bareShare(luma, upper: true, skinLuma: skin)
        guard bare > 0 else { return nil }
        let targetLuma = around.luma(of: target)
        let targetSkin = around.skinLuma(targetLuma)
        let discs = corners.map { centre in
            let darker = around.quantileLuma(targetLuma, near: centre, radius: radius, Self.cornerDarkShare) / targetSkin
                - around.quantileLuma(luma, near: centre, radius: radius, Self.cornerDarkShare) / skin
            let share = bare * min(max((darker - Self.cornerDarker.lowerBound)
                / (Self.cornerDarker.upperBound - Self.cornerDarker.lowerBound), 0), 1)
            let polygon = (0..<16).map { k in
                let angle = Float(k) * .pi / 8
                return centre + radius * SIMD2(cos(angle), sin(angle))
            }
            return (polygon, share)
        }
        return (discs, radius)
    }

    /// The radius of a kept mouth corner's disc in swap-space pixels (``Options/keptMouthCorner`` of the mouth's
    /// width).
    func mouthCornerRadius(points: [SIMD2<Float>]) -> Float {
        let d = points[FaceMeshTopology.mouthRight] - points[FaceMeshTopology.mouthLeft]
        return options.keptMouthCorner * (d * d).sum().squareRoot()
    }

    /// How much darker against its skin (brightness shares) the swap's mouth corner is than the target's, from
    /// not kept to wholly kept. Medians over 90 frames of five talking heads (talk_woman_d10, talk_dpe,
    /// talk_may_5s, talk_studio_4, talk_studio_1), each corner: portrait_s2's top-lit corners 0.14–0.52,
    /// portrait_s1's (a dark point where her lips meet) −0.05 to 0.38, the astronaut's −0.26 to 0.12, s11's −0.23
    /// to 0.14.
    static let cornerDarker: ClosedRange<Float> = 0.1...0.25

    /// The share of a corner's disc, darkest first, whose brightness ``cornerDarker`` compares.
    static let cornerDarkShare: Float = 0.1
}
