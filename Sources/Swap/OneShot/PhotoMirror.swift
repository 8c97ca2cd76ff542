import Face
import Imaging
import Stream

/// Where a photo's face is turned, its far side is foreshortened: a narrow strip of skin falling off into shadow,
/// often with hair at its edge. When the target turns the other way, the mesh swap stretches that strip over the
/// target's wide near cheek as dark streaks (portrait_s12, turned so its right side holds 36 % of the face's width,
/// on talk_studio_1, whose same side holds 65 %: stretched 1.8×). There the swap takes the photo's other side,
/// mirrored across the face's midline (``FaceMeshTopology/mirrored``), which the photo shows wide and lit.
///
/// Only the outer part of a side is mirrored (``lateral``): the eyes, brows, nose and mouth stay the photo's own, so
/// its asymmetries (a lopsided smile, a parting) stay too. The share grows with how far the photo's side is
/// stretched and how much wider its other side is, both smooth, so it follows a head turn without a step.
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
    /// `from` the photo's own features stay, from `full` out the skin is all mirrored.
    var lateral = Ramp(from: 0.35, full: 0.7)

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

    /// How much of each side (right, left) takes the mirrored photo, 0…1.
    func sideWeights(photoRightShare photo: Float, target: [SIMD2<Float>]) -> (right: Float, left: Float) {
        guard strength > 0, let t = Self.rightShare(target) else { return (0, 0) }
        func weight(photoSide p: Float, targetSide q: Float) -> Float {
            min(strength, 1) * stretch(q / p) * asymmetry((1 - p) / p)
        }
        return (weight(photoSide: photo, targetSide: t), weight(photoSide: 1 - photo, targetSide: 1 - t))
    }

    /// Per pixel of a `width` × `height` image whose face has landmarks `points`, the share of the mirrored photo:
    /// each side's weight, faded in across it by ``lateral``; nil when neither side is mirrored.
    func blend(_ weights: (right: Float, left: Float), points: [SIMD2<Float>], width: Int, height: Int) -> AlphaMask? {
        guard max(weights.right, weights.left) > 1e-3, let line = CheekLine(points) else { return nil }
        let (across, midline) = (line.across, line.centre)
        // Distance from the midline along the cheek line, per side's half width.
        let reach = line.halfWidths
        var mask = AlphaMask(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let u = ((SIMD2(Float(x), Float(y)) - midline) * across).sum()
                let (side, half) = u < 0 ? (weights.right, reach.right) : (weights.left, reach.left)
                guard side > 0 else { continue }
                mask.values[y * width + x] = side * lateral(abs(u) / half)
            }
        }
        return mask
    }

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
