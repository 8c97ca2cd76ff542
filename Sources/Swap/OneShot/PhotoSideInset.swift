/// FaceMesh's face oval runs where the face meets its ears: at the ears' height (landmarks 234, 93, 132 and their
/// mirror images) it lies on the ear's front edge, or on the wall or the hair beside the cheek. The swap's outline
/// (``SkinOutline``, 6 % inside the oval) still reaches it: the shipped photo's ear crease and the wall below it lie
/// 1–3 photo pixels inside her oval, and a child's dark hair lies along portrait_s11's cheeks. A turned target
/// stretches its wide side up to 3×, past the reach of the merger's feather, and they came out as pale patches
/// (the shipped photo) or a grey smudge (portrait_s11) on the new cheek (talk_studio_1).
///
/// The swap therefore samples the photo's sides from further inside: every landmark near a side of the oval is
/// drawn in towards the midline, the oval most and nothing from ``reach`` inwards, so the photo's outermost band is
/// left out and the skin inside it is stretched over the target's band. The target's outline does not move.
struct PhotoSideInset: Sendable, Equatable {
    /// How far the oval's sides are drawn in, as a share of each side's width (midline to the cheek's edge, about
    /// half the face): 0.16 ≈ 8 % of the face width (0 = off). 0.08 took the shipped photo's patches out;
    /// portrait_s11's smudge faded with depth and was all but gone at 0.16. A face recogniser's verdicts did not
    /// move; FaceMesh reads talk_studio_2's mouth as moving less with any depth (docs/BENCHMARKS.md, "Session 25").
    var depth: Float = 0.16
    /// From how far out (as a share of the side's width) landmarks are drawn in at all: the pull fades in
    /// smoothly from here to the oval, so the photo is not folded (its slope, 1.5 · depth / reach, stays below 1).
    var reach: Float = 0.3

    /// The photo's landmarks as the swap samples the photo: `points` with their sides drawn in; unchanged when
    /// off or without a face.
    func sampled(_ points: [SIMD2<Float>]) -> [SIMD2<Float>] {
        guard depth > 0, reach > 0, let line = PhotoMirror.CheekLine(points) else { return points }
        let (across, midline) = (line.across, line.centre)
        let half = line.halfWidths
        let pull = Ramp(from: 1 - reach, full: 1)
        return points.map { p in
            let u = ((p - midline) * across).sum()
            let side = u < 0 ? half.right : half.left
            let shift = depth * side * pull(abs(u) / side)
            return p - across * (u < 0 ? -shift : shift)
        }
    }
}
