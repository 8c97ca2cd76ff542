import Face
import Imaging
import Stream

/// Moves a photo's outer lip ring out to where its lips' colour ends, once, when the photo is loaded.
///
/// FaceMesh fits lips by their shape, and on a photo with lipstick or full lips its outer ring can fall inside the
/// lips (portrait_s1: her lower lip reaches about 6 % of the mouth's width below the ring). The mesh swap lays the
/// photo's ring on the target's, so what lies beyond it is laid on the target's skin round his lips: red crescents
/// and a lip that reads thicker than his. Here each point of the ring (its corners excepted) slides outwards along
/// the ring's normal as far as the photo stays lip-coloured, so the whole of the photo's lips lands inside the
/// target's.
///
/// Lip-coloured is measured on the a*b* plane: each pixel's projection onto the line from the skin's median colour
/// round the mouth (0) to the lips' (1), and lip from 0.5. A photo whose lips are not clearly apart from its skin in
/// colour (a greyscale photo, pale lips, a moustache over them) keeps its ring. The ring only grows: a lip's
/// highlight or teeth read as not lip, and would pull it in where it fits.
struct PhotoLipFit: Sendable, Equatable {
    /// Distance on the a*b* plane between the lips' and the skin's median colours below which the ring stays.
    /// Measured: portrait_s1 25.6, the astronaut 14.0, portrait_s12 5.0 (a moustache), portrait_s11 3.6 (a soft,
    /// dim photo), portrait_s2 0 (greyscale).
    var minimumContrast: Float = 10
    /// How far outwards a point may move, as a share of the mouth's width.
    var maximumShift: Float = 0.09
    /// How far inside the ring the lip is first looked for, as a share of the mouth's width: a point whose lip
    /// there is not lip-coloured (a thin lip, a highlight) stays.
    var start: Float = 0.03

    /// `landmarks` (on `photo`) with the outer lip ring moved out to the lips' edge; unchanged when the photo's lips
    /// cannot be told from its skin by colour.
    func fitted(_ landmarks: FaceLandmarks, in photo: RGBImage) -> FaceLandmarks {
        let points = landmarks.points2D
        guard let shifts = shifts(points, in: photo) else { return landmarks }
        let moved = Self.moving(points, by: shifts)
        var fitted = landmarks
        for i in fitted.points.indices { (fitted.points[i].x, fitted.points[i].y) = (moved[i].x, moved[i].y) }
        return fitted
    }

    /// Per point of ``FaceMeshTopology/outerLips``, its move (photo pixels); nil when none moves.
    func shifts(_ points: [SIMD2<Float>], in photo: RGBImage) -> [SIMD2<Float>]? {
        guard points.count == FaceMeshTopology.pointCount else { return nil }
        let ring = FaceMeshTopology.outerLips.map { points[$0] }
        let centre = ring.reduce(.zero, +) / Float(ring.count)
        let mouthWidth = length(points[FaceMeshTopology.mouthLeft] - points[FaceMeshTopology.mouthRight])
        guard mouthWidth >= 8 else { return nil }

        // The box round the mouth and the skin ring round it.
        let grown = ring.map { centre + Self.skinOuter * ($0 - centre) }
        let box = BoundingBox(bounding: grown)
        let pad = maximumShift * mouthWidth + 2
        let x0 = max(0, Int((box.x - pad).rounded(.down))), y0 = max(0, Int((box.y - pad).rounded(.down)))
        let x1 = min(photo.width - 1, Int((box.x + box.width + pad).rounded(.up)))
        let y1 = min(photo.height - 1, Int((box.y + box.height + pad).rounded(.up)))
        guard x1 - x0 >= 4, y1 - y0 >= 4 else { return nil }
        let (w, h) = (x1 - x0 + 1, y1 - y0 + 1)
        let origin = SIMD2(Float(x0), Float(y0))
        func filled(_ polygon: [SIMD2<Float>]) -> AlphaMask {
            PolygonRasterizer.fill(polygon.map { $0 - origin }, width: w, height: h)
        }
        func scaled(_ s: Float) -> [SIMD2<Float>] { ring.map { centre + s * ($0 - centre) } }

        // a*b* of the box; the lips (the ring drawn in, less the opening) and the skin round them.
        let lab = LabColor()
        var chroma = [SIMD2<Float>](repeating: .zero, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let p = photo[x0 + x, y0 + y]
                let c = lab.lab(p.r, p.g, p.b)
                chroma[y * w + x] = SIMD2(c.y, c.z)
            }
        }
        var lips = filled(scaled(Self.lipInner))
        lips.cut(filled(FaceMeshTopology.innerLips.map { points[$0] }))
        var skin = filled(grown)
        skin.cut(filled(scaled(Self.skinInner)))
        guard let lipColour = Self.median(chroma, where: lips), let skinColour = Self.median(chroma, where: skin)
        else { return nil }
        let axis = lipColour - skinColour
        let contrast = length(axis)
        guard contrast >= minimumContrast else { return nil }

        // How lip-coloured each pixel is (0 skin, 1 lip), lightly smoothed against the photo's noise.
        var lipness = AlphaMask(width: w, height: h,
                                values: chroma.map { (($0 - skinColour) * axis).sum() / (contrast * contrast) })
        lipness.gaussianBlur(sigma: 1, clamped: false)

        // Each point slides out along the ring's normal while the photo stays lip; the corners stay.
        let step: Float = 0.5, reach = maximumShift * mouthWidth
        let normals = ring.indices.map { k -> SIMD2<Float> in
            let tangent = ring[(k + 1) % ring.count] - ring[(k + ring.count - 1) % ring.count]
            let normal = SIMD2(tangent.y, -tangent.x) / max(length(tangent), 1e-6)
            return ((ring[k] - centre) * normal).sum() < 0 ? -normal : normal
        }
        var along = [Float](repeating: 0, count: ring.count)
        for k in ring.indices where !Self.corners.contains(k) {
            func isLip(_ s: Float) -> Bool { Self.sample(lipness, at: ring[k] + s * normals[k] - origin) >= 0.5 }
            var s = -start * mouthWidth
            guard isLip(s) else { continue }
            while s + step <= reach, isLip(s + step) { s += step }
            along[k] = max(s, 0)
        }
        // A lone point does not move on its own (a fleck of colour on the skin): each takes the median of itself and
        // its neighbours.
        let n = ring.count
        var shifts = ring.indices.map { k -> SIMD2<Float> in
            guard !Self.corners.contains(k) else { return .zero }
            return [along[(k + n - 1) % n], along[k], along[(k + 1) % n]].sorted()[1] * normals[k]
        }
        guard shifts.contains(where: { $0 != .zero }) else { return nil }
        // Never so far that a mesh triangle is squashed (its texture would smear over the target's): the points of
        // each triangle that would shrink below a quarter move half as far, until none does.
        for _ in 0..<6 {
            let squashed = Self.squashed(points, moving: shifts)
            if squashed.isEmpty { return shifts }
            for k in squashed { shifts[k] /= 2 }
        }
        return nil
    }

    /// `points` with the outer lip ring moved by `shifts`; the lip's middle rings follow, each point by its place
    /// between the inner ring (which stays) and the outer one.
    static func moving(_ points: [SIMD2<Float>], by shifts: [SIMD2<Float>]) -> [SIMD2<Float>] {
        var moved = points
        for k in shifts.indices {
            let (i, o) = (FaceMeshTopology.innerLips[k], FaceMeshTopology.outerLips[k])
            let across = points[o] - points[i]
            let span = max((across * across).sum(), 1e-6)
            for ring in FaceMeshTopology.middleLips {
                moved[ring[k]] += min(max(((points[ring[k]] - points[i]) * across).sum() / span, 0), 1) * shifts[k]
            }
            moved[o] += shifts[k]
        }
        return moved
    }

    /// Positions of the corners (``FaceMeshTopology/mouthRight``, ``FaceMeshTopology/mouthLeft``) in
    /// ``FaceMeshTopology/outerLips``.
    static let corners: Set<Int> = [0, 10]
    /// The ring drawn in to this share about the mouth's centre: the lips, clear of their edge.
    static let lipInner: Float = 0.85
    /// The skin round the mouth lies between the ring grown to these shares about the mouth's centre.
    static let skinInner: Float = 1.35
    static let skinOuter: Float = 1.7

    /// The positions in ``FaceMeshTopology/outerLips`` of the moving points of every mesh triangle that moving the
    /// ring by `shifts` (``moving(_:by:)``) turns over or shrinks below a quarter of its area.
    static func squashed(_ points: [SIMD2<Float>], moving shifts: [SIMD2<Float>]) -> Set<Int> {
        let moved = moving(points, by: shifts)
        func area(_ p: [SIMD2<Float>], _ t: SIMD3<Int>) -> Float {
            let (a, b, c) = (p[t.x], p[t.y], p[t.z])
            return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        }
        // A middle lip point moves with the outer point on its line across the lip.
        var owner = [Int: Int]()
        for (k, index) in FaceMeshTopology.outerLips.enumerated() where shifts[k] != .zero {
            owner[index] = k
            for ring in FaceMeshTopology.middleLips { owner[ring[k]] = k }
        }
        var squashed = Set<Int>()
        for t in FaceMeshTriangulation.triangles {
            let corners = [t.x, t.y, t.z].compactMap { owner[$0] }
            guard !corners.isEmpty else { continue }
            let before = area(points, t)
            if before != 0, area(moved, t) / before < 0.25 { squashed.formUnion(corners) }
        }
        return squashed
    }

    /// The per-channel median of `values` where `mask` > 0.5; nil for fewer than 16 such pixels.
    private static func median(_ values: [SIMD2<Float>], where mask: AlphaMask) -> SIMD2<Float>? {
        let picked = values.indices.filter { mask.values[$0] > 0.5 }
        guard picked.count >= 16 else { return nil }
        let a = picked.map { values[$0].x }.sorted(), b = picked.map { values[$0].y }.sorted()
        return SIMD2(a[a.count / 2], b[b.count / 2])
    }

    /// `mask` at `p` (pixel centres), bilinear, edge pixels repeated.
    private static func sample(_ mask: AlphaMask, at p: SIMD2<Float>) -> Float {
        let x = min(max(p.x, 0), Float(mask.width - 1)), y = min(max(p.y, 0), Float(mask.height - 1))
        let (ix, iy) = (min(Int(x), mask.width - 2), min(Int(y), mask.height - 2))
        let (fx, fy) = (x - Float(ix), y - Float(iy))
        let top = mask[ix, iy] * (1 - fx) + mask[ix + 1, iy] * fx
        let bottom = mask[ix, iy + 1] * (1 - fx) + mask[ix + 1, iy + 1] * fx
        return top * (1 - fy) + bottom * fy
    }
}

private func length(_ v: SIMD2<Float>) -> Float { (v * v).sum().squareRoot() }
