import Foundation
import Face
import Imaging
import Stream

extension FaceMerger {
    /// The mouth's corners kept from the target (``Options/keptMouthCorner``): a disc round each, with the share
    /// (0…1) it is kept by. A corner is kept as far as the swap's is darker against its skin than the target's
    /// (a photo's own creases, or the dark point where its lips meet; ``cornerDarker``, on the disc's darker tenth
    /// (``cornerDarkShare``), which a small dark point moves where the disc's mean barely does), or as far as the
    /// corner itself holds a dark point the target's does not (``cornerPointDarker``, on the darker tenth of a disc
    /// ``cornerPointReach`` as wide), and no moustache grows over the swap's lips
    /// (``LipSurround/bareShare(_:upper:skinLuma:)`` of the skin above the upper lip). Below the lower lip a photo's
    /// own top light casts a shadow as dark as a beard (portrait_s2), and the corners of a mouth under a chin beard
    /// are bare.
    ///
    /// - Parameters:
    ///   - swap, target: the swap's and the target's brightness on `around`'s box.
    ///   - around: the lips and the skin round them, with a box that holds a disc of
    ///     ``mouthCornerRadius(points:)`` round each corner (``LipSurround/margin(holding:faceWidth:)``).
    func mouthCorners(swap: LipSurround.Brightness, target: LipSurround.Brightness, points: [SIMD2<Float>],
                      around: LipSurround) -> (discs: [(polygon: [SIMD2<Float>], share: Float)], radius: Float)? {
        let corners = [points[FaceMeshTopology.mouthRight], points[FaceMeshTopology.mouthLeft]]
        let radius = mouthCornerRadius(points: points)
        guard radius >= 1 else { return nil }
        let bare = around.bareShare(swap.luma, upper: true, skinLuma: swap.skin)
        guard bare > 0 else { return nil }
        /// How much darker against its skin the swap's darker tenth is than the target's within `reach` of `centre`.
        func darker(near centre: SIMD2<Float>, reach: Float) -> Float {
            around.quantileLuma(target.luma, near: centre, radius: reach, Self.cornerDarkShare) / target.skin
                - around.quantileLuma(swap.luma, near: centre, radius: reach, Self.cornerDarkShare) / swap.skin
        }
        // Under a pixel the point disc may hold no pixel at all (then both read mid-grey, against unequal skins).
        let pointReach = Self.cornerPointReach * radius
        let discs = corners.map { centre in
            let point = pointReach >= 1
                ? Self.keptShare(darker(near: centre, reach: pointReach), over: Self.cornerPointDarker) : 0
            let share = bare * max(Self.keptShare(darker(near: centre, reach: radius), over: Self.cornerDarker), point)
            let polygon = (0..<16).map { k in
                let angle = Float(k) * .pi / 8
                return centre + radius * SIMD2(cos(angle), sin(angle))
            }
            return (polygon, share)
        }
        return (discs, radius)
    }

    /// How far a part round the mouth is kept for a measure `x`: 0 at the range's lower bound, 1 from its upper
    /// one, linear between.
    static func keptShare(_ x: Float, over range: ClosedRange<Float>) -> Float {
        min(max((x - range.lowerBound) / (range.upperBound - range.lowerBound), 0), 1)
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

    /// The radius, as a share of the corner's disc's, within which ``cornerPointDarker`` looks for a dark point
    /// right at the corner.
    static let cornerPointReach: Float = 0.35

    /// How much darker against its skin the darker tenth of the corner's point disc (``cornerPointReach``) is than
    /// the target's, from not kept to wholly kept. portrait_s2's commissure on talk_studio_1 lands as a dark dot of
    /// two or three pixels at the target's left corner: it moved the whole disc's darker tenth by 0.18 (kept by
    /// half, the dot still showed) and the point disc's by 0.36. Medians per corner over 90 frames of seven talking
    /// heads (the five above, talk_studio_2, talk_expressions_d0): portrait_s2 0.30–0.76, portrait_s1 0.00–0.44,
    /// portrait_s11 −0.22 to 0.32, the astronaut −0.43 to 0.07 (never a dark point of its own at the corner).
    static let cornerPointDarker: ClosedRange<Float> = 0.2...0.35
}
