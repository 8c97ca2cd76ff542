import Face
import Imaging

extension FaceMerger {
    /// The lower lip's outer edge kept from the target (``Options/keptLowerLipEdge``): a band along the lower half of
    /// the outer lip ring short of the corners (``lowerLipEdgeCornerSkip``), from ``lowerLipEdgeInward`` of the
    /// mouth's width inside it to `keptLowerLipEdge` outside, with the share (0…1) it is kept by and its feather in
    /// swap-space pixels.
    ///
    /// A photo's own lower lip edge lands a few pixels off the target's: the shadow under a small lower lip
    /// (portrait_s12) drew a crisp dark line under the target's fuller one, which read as a lip pushed out; a pale
    /// lower lip leaves a pale band. The target's own edge and the shadow its lip casts fit its lip and its light.
    /// The band is kept as far as the skin just under the swap's lip stands out from the target's there, darker (a
    /// shadow line) or brighter (a pale band), against each one's skin round the lips (``lowerLipEdgeStep``): where
    /// a photo's lip edge is as soft as the target's, the new face stays whole.
    ///
    /// - Parameters:
    ///   - swap, target: the swap's and the target's brightness on `around`'s box.
    func lowerLipEdge(swap: LipSurround.Brightness, target: LipSurround.Brightness, points: [SIMD2<Float>],
                      around: LipSurround) -> (polygon: [SIMD2<Float>], share: Float, feather: Float)? {
        guard options.keptLowerLipEdge > 0 else { return nil }
        let ring = FaceMeshTopology.outerLips.map { points[$0] }
        // The right corner first, the left one halfway round: the lower lip between, less its corners.
        let skip = Self.lowerLipEdgeCornerSkip
        let lower = Array(ring[skip...(ring.count / 2 - skip)])
        let span = ring[ring.count / 2] - ring[0]
        let width = (span * span).sum().squareRoot()
        guard width >= 4 else { return nil }
        let centre = ring.reduce(SIMD2<Float>.zero, +) / Float(ring.count)
        var outside: [SIMD2<Float>] = [], inside: [SIMD2<Float>] = []
        for (i, p) in lower.enumerated() {
            let along = lower[min(i + 1, lower.count - 1)] - lower[max(i - 1, 0)]
            var normal = SIMD2(-along.y, along.x) / max((along * along).sum().squareRoot(), 1e-3)
            if ((p - centre) * normal).sum() < 0 { normal = -normal }
            outside.append(p + options.keptLowerLipEdge * width * normal)
            inside.append(p - Self.lowerLipEdgeInward * width * normal)
        }
        // Judged on the skin side only: the lips themselves are the photo's colour until the lip step.
        let origin = SIMD2(Float(around.x0), Float(around.y0))
        let under = PolygonRasterizer.fill((outside + lower.reversed()).map { $0 - origin },
                                           width: around.width, height: around.height)
        /// The band's darker and brighter tenths against the skin round the lips.
        func tenths(_ b: LipSurround.Brightness) -> (dark: Float, bright: Float) {
            (LipSurround.quantile(b.luma, weight: under.values, 0.1) / b.skin,
             LipSurround.quantile(b.luma, weight: under.values, 0.9) / b.skin)
        }
        let (new, kept) = (tenths(swap), tenths(target))
        let standsOut = max(kept.dark - new.dark, new.bright - kept.bright)
        return (outside + inside.reversed(), Self.keptShare(standsOut, over: Self.lowerLipEdgeStep),
                Self.lowerLipEdgeFeather * width)
    }

    /// The points of the outer lip ring the band leaves out next to each corner (of the ten each lip has between
    /// them). A moustache's ends hang there (portrait_s12), which the mouth's corners leave to the swap too; a band
    /// over the whole lip took them away, and with them much of the photo's look to a recogniser (its share on
    /// talk_studio_4 0.67 → 0.43, on headturn_720p_s32 0.93 → 0.67; 0.60 and 0.73 with two points left out).
    static let lowerLipEdgeCornerSkip = 2

    /// How far the band reaches into the lower lip, as a share of the mouth's width (over the target's edge).
    static let lowerLipEdgeInward: Float = 0.025

    /// The band's feather (σ) as a share of the mouth's width.
    static let lowerLipEdgeFeather: Float = 0.025

    /// How far the skin under the swap's lower lip stands out from the target's (darker tenths, or brighter ones,
    /// as shares of each one's skin), from not kept to wholly kept. Medians over 60 frames of four talking heads
    /// (talk_studio_1, talk_may_5s, talk_woman_d10, talk_dpe), measured under the whole lower lip out to 0.08 of the
    /// mouth's width: portrait_s12's shadow line 0.25–0.54, portrait_s2 0.02–0.37, portrait_s11 −0.03 to 0.17,
    /// portrait_s1 0.02–0.14, the astronaut −0.01 to 0.07.
    static let lowerLipEdgeStep: ClosedRange<Float> = 0.1...0.25
}
