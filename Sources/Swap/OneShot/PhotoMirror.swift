import Face
import Imaging
import Stream

/// Where a photo's face is turned, its far side is foreshortened: a narrow strip of skin falling off into shadow,
/// often with hair at its edge. When the target turns the other way, the mesh swap stretches that strip over the
/// target's wide near cheek as dark streaks (portrait_s12, turned so its right side holds 36 % of the face's width,
/// on talk_studio_1, whose same side holds 65 %: stretched 1.8×). There the swap takes the photo's other side,
/// mirrored across the face's midline (``FaceMeshTopology/mirrored``), which the photo shows wide and lit.
///
/// The outer part of a side is mirrored once its cheek is stretched (``stretch``, ``lateral``); the eyes, brows and
/// mouth stay the photo's own, so its asymmetries (a lopsided smile, a parting) stay too. The nose's side wall on the
/// far side is foreshortened far more than the cheek, and in shadow besides: stretched over a target that is merely
/// frontal it lay as a dark, blotchy streak from the inner eye corner to the nostril (portrait_s12 on
/// talk_expressions_d3, a stretch of 1.3). So the band beside the nose, above its base, is mirrored from a smaller
/// stretch (``noseWallStretch``, ``noseWall``). Each share grows with how far the photo's side is stretched and how
/// much wider its other side is, both smooth, so it follows a head turn without a step.
struct PhotoMirror: Sendable, Equatable {
    /// The largest share of a side that is mirrored (0 = never).
    var strength: Float = 1
    /// Stretch of a photo's side onto the target's (the side's share of the face width, target over photo) from
    /// which (first) the side starts to be mirrored and (second) is mirrored in full.
    var stretch = Ramp(from: 1.15, full: 1.5)
    /// How much wider the photo's other side is (ratio of the shares) from which the mirror starts to pay, and from
    /// which in full: a frontal photo's sides differ by a few percent (the shared portraits but portrait_s12:
    /// 0.93–1.15), and its own side beats a mirrored copy.
    var asymmetry = Ramp(from: 1.1, full: 1.4)
    /// Where across a side the mirror fades in, as a share of the way from the midline to the face's edge: inside
    /// `from` the photo's own features stay (but for the band beside the nose, ``noseWall``), from `full` out the
    /// skin is all mirrored.
    var lateral = Ramp(from: 0.35, full: 0.7)
    /// Stretch of a side from which the band beside its nose starts to be mirrored, and from which in full.
    var noseWallStretch = Ramp(from: 1, full: 1.25)
    /// Where across a side the nose wall's mirror fades in (the midline itself stays the photo's, so the two sides
    /// meet without a seam); it fades out again from `full` to `lateral.from`, where the outer part takes over,
    /// so the eye stays the photo's. Between the nose's base and the top of the upper lip it fades out downwards:
    /// the lips and the skin over them stay the photo's (mirrored too, portrait_s12's mouth gain on talk_studio_1
    /// fell 0.93 → 0.84).
    var noseWall = Ramp(from: 0, full: 0.2)

    /// How much of one side takes the mirrored photo, 0…1: its outer part and the band beside its nose.
    struct SideShare: Sendable, Equatable {
        var outer: Float
        var noseWall: Float
        static let none = SideShare(outer: 0, noseWall: 0)
    }

    /// The line between a face's cheeks (``FaceMeshTopology/rightCheek`` → ``FaceMeshTopology/leftCheek``) and the
    /// face's midline on it (the mean of the points down the nose).
    struct CheekLine {
        /// The right cheek (the viewer's left), the left one, and the midline's point.
        let right: SIMD2<Float>, left: SIMD2<Float>, centre: SIMD2<Float>
        /// From the right cheek to the left, and its squared length.
        let span: SIMD2<Float>, lengthSquared: Float

        /// nil without 468 landmarks or with the cheeks 4 px apart or less.
        init?(_ points: [SIMD2<Float>]) {
            guard points.count == FaceMeshTopology.pointCount else { return nil }
            (right, left) = (points[FaceMeshTopology.rightCheek], points[FaceMeshTopology.leftCheek])
            span = left - right
            lengthSquared = (span * span).sum()
            guard lengthSquared > 16 else { return nil }
            centre = PhotoMirror.midline.map { points[$0] }.reduce(.zero, +) / Float(PhotoMirror.midline.count)
        }

        /// The unit direction from the right cheek to the left.
        var across: SIMD2<Float> { span / lengthSquared.squareRoot() }

        /// Each side's width along the line, from the midline out to its cheek (at least 1 pixel).
        var halfWidths: (right: Float, left: Float) {
            let across = across
            return (right: max(((centre - right) * across).sum(), 1), left: max(((left - centre) * across).sum(), 1))
        }
    }

    /// The share of the face's width on its right side (the viewer's left: from ``FaceMeshTopology/rightCheek`` to the
    /// midline, along the line between the cheeks); nil for a degenerate face.
    static func rightShare(_ points: [SIMD2<Float>]) -> Float? {
        guard let line = CheekLine(points) else { return nil }
        return min(max(((line.centre - line.right) * line.span).sum() / line.lengthSquared, 0.05), 0.95)
    }

    /// Points down the nose, whose mean marks the midline across the cheeks.
    static let midline = [168, 6, 197, 195, 5, 4, 1]

    /// How much of each side (right, left) takes the mirrored photo.
    func sideWeights(photoRightShare photo: Float, target: [SIMD2<Float>]) -> (right: SideShare, left: SideShare) {
        guard strength > 0, let t = Self.rightShare(target) else { return (.none, .none) }
        func weight(photoSide p: Float, targetSide q: Float) -> SideShare {
            let most = min(strength, 1) * asymmetry((1 - p) / p)
            return SideShare(outer: most * stretch(q / p), noseWall: most * noseWallStretch(q / p))
        }
        return (weight(photoSide: photo, targetSide: t), weight(photoSide: 1 - photo, targetSide: 1 - t))
    }

    /// Per pixel of a `width` × `height` image whose face has landmarks `points`, the share of the mirrored photo:
    /// each side's outer share faded in across it by ``lateral``, its nose wall's as ``noseWall`` says; nil when
    /// neither side is mirrored.
    func blend(_ weights: (right: SideShare, left: SideShare), points: [SIMD2<Float>], width: Int,
               height: Int) -> AlphaMask? {
        let largest = max(weights.right.outer, weights.right.noseWall, weights.left.outer, weights.left.noseWall)
        guard largest > 1e-3, let line = CheekLine(points) else { return nil }
        let (across, midline) = (line.across, line.centre)
        // Down the face, across the cheek line: the nose wall's share fades out from the nose's base to the lip's top.
        let beside = Ramp(from: noseWall.full, full: lateral.from)
        let down = SIMD2(-across.y, across.x)
        let belowNose = Ramp(from: (points[Self.noseBase] * down).sum(),
                             full: (points[FaceMeshTopology.upperLipTop] * down).sum())
        // Distance from the midline along the cheek line, per side's half width.
        let reach = line.halfWidths
        var mask = AlphaMask(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let p = SIMD2(Float(x), Float(y))
                let u = ((p - midline) * across).sum()
                let (side, half) = u < 0 ? (weights.right, reach.right) : (weights.left, reach.left)
                guard side.outer > 0 || side.noseWall > 0 else { continue }
                let a = abs(u) / half
                var wall = side.noseWall
                if wall > 0 { wall *= noseWall(a) * (1 - beside(a)) * (1 - belowNose((p * down).sum())) }
                mask.values[y * width + x] = max(side.outer * lateral(a), wall)
            }
        }
        return mask
    }

    /// The nose's base on the midline (subnasale).
    static let noseBase = 2

    /// `image` with the mirrored `photo` (its points swapped across the midline) warped onto `targetPoints` and
    /// blended in by `blend`, where `clip` is positive.
    static func apply(_ photo: MipmappedImage, photoPoints: [SIMD2<Float>], targetPoints: [SIMD2<Float>], blend: AlphaMask,
                      clip: AlphaMask, into image: inout RGBImage) {
        var clipped = clip
        clipped.multiply(by: blend)
        guard clipped.values.contains(where: { $0 > 0 }) else { return }
        var mirrored = image
        TriangleWarp.warp(photo, sourcePoints: FaceMeshTopology.mirrored.map { photoPoints[$0] },
                          triangles: FaceMeshTriangulation.triangles, targetPoints: targetPoints, into: &mirrored,
                          clip: clipped)
        image.mix(mirrored, weight: clipped)
    }
}
