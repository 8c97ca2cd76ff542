import Face
import Imaging
import Stream

/// How far above FaceMesh's brow rings a target's brows really lie on this frame: where the one-shot swap draws the
/// photo's brows.
///
/// FaceMesh lags a raised brow by a few frames and places groomed brows where a face's proportions put them
/// (talk_woman_d10: from fitting them to a whole brow's height below them). The swap lays the photo's brow rings on
/// the target's, so the photo's brows sat that far below the target's, and the target's brows, covered by the lifted
/// cut (``TargetBrowRise``), left a pale band of new forehead where they were (docs/BENCHMARKS.md, "Session 42").
///
/// Per brow, the luma across its ring and above it (along the face's up direction, averaged along the brow) has a
/// dark band: the brow. Its centre (where the band is darker than halfway between its darkest point and the skin
/// above it) against the ring's own centre is the brow's offset, and the photo's brows move up by it, never down (a
/// brow drawn lower than the target's is left there). Each brow is measured on its own (one brow raised); one that
/// does not stand out from its skin takes the other's.
///
/// The photo's own brows are not moved onto its rings: where they sit in them is the photo's (the astronaut's lie
/// 1.4 % of her face width below their rings' centres, close over her eyes), and moved, a face recogniser saw her in
/// 10 % of talk_woman_d10's frames instead of 40 % (docs/BENCHMARKS.md, "Session 42").
///
/// Measured afresh on each frame: FaceMesh's rings jump between frames (talk_woman_d10, frames 37, 40 and 42: on her
/// brows, a brow's height below them, on them again) while the brows move smoothly, and the measure jumps with the
/// rings.
struct TargetBrowOffset: Sendable, Equatable {
    /// The darkest point of a brow is looked for up to this height above its ring's upper edge (share of the face
    /// width): above it lie the forehead's creases and the hairline.
    var searchTo: Float = 0.07
    /// The brow's band must start within this height above its ring's upper edge (share of the face width): one
    /// starting higher is a crease of the forehead or the hairline over a faint brow (talk_may_5s).
    var startsBelow: Float = 0.04
    /// The widest band taken for a brow, as a share of the face width (talk_woman_d10's: about 0.05; the shading
    /// between talk_may_5s's faint brows and her fringe: 0.1).
    var maximumWidth: Float = 0.07
    /// How far below its ring's lower edge a brow's band may reach, as a share of the face width (the darkest point
    /// is looked for from the ring's lower edge up).
    var below: Float = 0.03
    /// The skin a brow is judged against: the brightest point within this height above its darkest point (share of
    /// the face width). Higher up a fringe or the hairline may darken the forehead.
    var skinReach: Float = 0.08
    /// A brow stands out where its darkest point is below this share of the skin's luma; fainter brows (blond,
    /// light) are not measured.
    var contrast: Float = 0.85
    /// Offsets up to the first bound (share of the face width) move nothing (a ring sitting a pixel or two off its
    /// brow), from the second the brows move by the whole offset; smooth between.
    var moves: ClosedRange<Float> = 0.01...0.03

    /// Step of the profile across the brow, as a share of the face width.
    static let step: Float = 0.005

    /// How far the right and the left brow lie above their rings on the face with `landmarks` (468, `image`
    /// pixels) of width `faceWidth`, as shares of the face width (below 0: under them); nil for a brow that does
    /// not stand out from its skin.
    func measure(in image: RGBImage, landmarks: [SIMD2<Float>], faceWidth: Float) -> [Float?] {
        guard landmarks.count == FaceMeshTopology.pointCount, faceWidth > 8 else { return [nil, nil] }
        let up = FaceMeshTopology.browLine(landmarks).up
        return Self.brows.map { brow in
            offset(upper: brow.upper.map { landmarks[$0] }, lower: brow.lower.map { landmarks[$0] }, up: up,
                   in: image, faceWidth: faceWidth)
        }
    }

    /// How far up the photo's right and left brow are moved on the target with `landmarks` (468, `image` pixels)
    /// of width `faceWidth`, as shares of the face width: the target's brows' ``measure(in:landmarks:faceWidth:)``,
    /// never below 0, moving nothing while it is small (``moves``).
    func offsets(in image: RGBImage, landmarks: [SIMD2<Float>], faceWidth: Float) -> SIMD2<Float> {
        let measured = measure(in: image, landmarks: landmarks, faceWidth: faceWidth)
        let moving = Ramp(from: moves.lowerBound, full: moves.upperBound)
        let (right, left) = (measured[0] ?? measured[1] ?? 0, measured[1] ?? measured[0] ?? 0)
        let (r, l) = (max(right, 0), max(left, 0))
        return SIMD2(r * moving(r), l * moving(l))
    }

    /// One brow's offset (share of the face width), nil when it does not stand out from the skin above it.
    private func offset(upper: [SIMD2<Float>], lower: [SIMD2<Float>], up: SIMD2<Float>, in image: RGBImage,
                        faceWidth: Float) -> Float? {
        // The ring's height across the brow.
        let thickness = zip(upper, lower).map { ((($0 - $1) * up).sum()) }.reduce(0, +) / Float(upper.count) / faceWidth
        guard thickness > 0 else { return nil }
        // Heights from below the ring's lower edge (a brow hanging below its ring) up past the search and the skin
        // above it.
        let step = Self.step
        let first = -thickness - below
        let count = Int(((searchTo + skinReach - first) / step).rounded(.up)) + 1
        let profile = BrowProfile.luma(along: upper, up: up, heights: (0..<count).map { (first + Float($0) * step) * faceWidth },
                                       in: image)
        guard !profile.contains(nil) else { return nil }
        let raw = profile.map { $0 ?? 0 }
        // Lightly smoothed against the camera's noise.
        let luma = raw.indices.map { k in (raw[max(k - 1, 0)] + raw[k] + raw[min(k + 1, count - 1)]) / 3 }

        // The darkest point from the ring's lower edge up: lower down lie the lids and the eye sockets' shadow.
        let (start, last) = (Int((below / step).rounded()), min(Int(((searchTo - first) / step).rounded()), count - 1))
        guard start <= last, let darkest = (start...last).min(by: { luma[$0] < luma[$1] }) else { return nil }
        let reach = min(darkest + Int((skinReach / step).rounded()), count - 1)
        let skin = luma[darkest...reach].max() ?? 0
        guard skin > 1, luma[darkest] < contrast * skin else { return nil }

        // The band darker than halfway, with its ends interpolated between samples.
        let threshold = (luma[darkest] + skin) / 2
        func crossing(_ inside: Int, _ outside: Int) -> Float {
            let (a, b) = (luma[inside], luma[outside])
            let t = b != a ? (threshold - a) / (b - a) : 0
            return Float(inside) + t * Float(outside - inside)
        }
        var bottom = darkest, top = darkest
        while bottom > 0, luma[bottom - 1] < threshold { bottom -= 1 }
        while top < count - 1, luma[top + 1] < threshold { top += 1 }
        // A band running out of the profile is not a brow's alone (it joins the lids' shadow or the hair).
        guard bottom > 0, top < count - 1 else { return nil }
        let (low, high) = (crossing(bottom, bottom - 1), crossing(top, top + 1))
        // A band starting well above the ring, or wider than a brow, is a crease, the forehead's shading or the
        // hairline over a faint brow.
        guard first + low * step <= startsBelow, (high - low) * step <= maximumWidth else { return nil }
        let centre = first + (low + high) / 2 * step
        return centre + thickness / 2
    }

    /// Each brow's ring split into its edges, point k of one across the brow from point k of the other: a ring runs
    /// along its lower edge out to in, then back along its upper edge (``FaceMeshTopology/browUpperEdges``).
    static let brows: [(upper: [Int], lower: [Int])] = zip(
        FaceMeshTopology.browUpperEdges, [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing]
    ).map { upper, ring in (upper, Array(ring.prefix(upper.count))) }

    /// `points` (468, any pixels) with the right and the left brow moved up the face by `shifts` pixels and the
    /// forehead above them following (between the brows, in proportion across), less and less up to the face
    /// oval's top; from the brows' lowest point down the face stays, so the lids stretch as a raised brow stretches
    /// them, and the temples beside the brows' tails follow in part (wholly where a drooping tail would overtake
    /// them).
    static func raising(_ points: [SIMD2<Float>], by shifts: SIMD2<Float>) -> [SIMD2<Float>] {
        guard shifts.max() > 0, points.count == FaceMeshTopology.pointCount else { return points }
        let (line, up) = FaceMeshTopology.browLine(points)
        func height(_ p: SIMD2<Float>) -> Float { ((p - line) * up).sum() }
        let edge = FaceMeshTopology.browUpperEdges.joined().map { height(points[$0]) }.max() ?? 0
        let bottom = (FaceMeshTopology.rightEyebrowRing + FaceMeshTopology.leftEyebrowRing).map { height(points[$0]) }
            .min() ?? 0
        let top = FaceMeshTopology.faceOval.map { height(points[$0]) }.max() ?? 0
        guard edge > bottom, top > edge else { return points }
        // Never so far that the forehead above folds over: it shrinks by at most half.
        let moved = shifts.clamped(lowerBound: .zero, upperBound: SIMD2(repeating: 0.5 * (top - edge)))
        // Nor so far that a mesh triangle beside a brow's tail is turned over or squashed below a quarter of its
        // area. A temple point just above a drooping tail moves less than the tail (its height is below the brows'
        // upper edge), and the tail overtook it: such a point follows the tail, a few rings of points out at most
        // (talk_woman_d10, frame 40: 0.75 of the move before). What still folds shrinks the move.
        let rings = Set(FaceMeshTopology.rightEyebrowRing + FaceMeshTopology.leftEyebrowRing)
        for scale: Float in [1, 0.75, 0.5, 0.25] {
            var raised = raising(points, by: moved * scale, line: line, up: up, heights: (bottom, edge, top))
            for pass in 0...3 {
                let squashed = FaceMeshTriangulation.triangles.filter {
                    FaceMeshTriangulation.isSquashed($0, from: points, to: raised)
                }
                guard !squashed.isEmpty else { return raised }
                guard pass < 3 else { break }
                for t in squashed {
                    let corners = [t.x, t.y, t.z]
                    let most = corners.map { height(raised[$0]) - height(points[$0]) }.max() ?? 0
                    for i in corners where !rings.contains(i) && height(raised[i]) - height(points[i]) < most {
                        raised[i] = points[i] + up * most
                    }
                }
            }
        }
        return points
    }

    /// ``raising(_:by:)`` by `moved` with the brows' line and the heights of their lowest point, their upper edge
    /// and the oval's top.
    private static func raising(_ points: [SIMD2<Float>], by moved: SIMD2<Float>, line: SIMD2<Float>,
                                up: SIMD2<Float>, heights: (bottom: Float, edge: Float, top: Float)) -> [SIMD2<Float>] {
        let (bottom, edge, top) = heights
        let across = SIMD2(up.y, -up.x)
        func height(_ p: SIMD2<Float>) -> Float { ((p - line) * up).sum() }
        func side(_ p: SIMD2<Float>) -> Float { ((p - line) * across).sum() }
        let rings = [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing]
        let centres = rings.map { ring in ring.map { side(points[$0]) }.reduce(0, +) / Float(ring.count) }
        var ringOf = [Int: Int]()
        for (k, ring) in rings.enumerated() { for i in ring { ringOf[i] = k } }
        return points.indices.map { i in
            let p = points[i]
            let shift: Float
            if let k = ringOf[i] {
                shift = moved[k]
            } else {
                let h = height(p)
                let share = h <= bottom ? 0 : h < edge ? Ramp.smoothstep((h - bottom) / (edge - bottom))
                    : 1 - (h - edge) / (top - edge)
                let span = centres[1] - centres[0]
                let t = span != 0 ? min(max((side(p) - centres[0]) / span, 0), 1) : 0.5
                shift = share * (moved[0] + t * (moved[1] - moved[0]))
            }
            return p + up * shift
        }
    }
}
