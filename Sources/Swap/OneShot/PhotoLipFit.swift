import Face
import Imaging
import Stream

/// Fits a photo's lip rings to its lips, once, when the photo is loaded: the outer ring out to where the lips'
/// colour ends, the inner ring past the dark gap between the lips.
///
/// FaceMesh fits lips by their shape, and on a photo its rings can miss them. The mesh swap lays the photo's rings on
/// the target's, so:
/// - where lipstick or full lips reach past the outer ring (portrait_s1: up to 6 % of the mouth's width below it),
///   that red is laid on the target's skin round his lips;
/// - where the dark gap between closed lips lies outside the inner ring (portrait_s2: 3–4 % of the mouth's width
///   below it), a dark line runs along the target's lower lip, and a landmarker reads a closed mouth as half open.
///
/// Each ring point (the corners excepted) slides along its line across the lip. Outer points move outwards as far as
/// the photo stays lip-coloured: on the a*b* plane, each pixel's projection onto the line from the skin's median
/// colour round the mouth (0) to the lips' (1), lip from 0.5; only on a photo whose lips stand apart from its skin in
/// colour (not a greyscale photo, pale lips, a moustache over them). Inner points move into the lip while the photo
/// is darker than ``Relighting/lipDark`` of that lip's median (any photo). Both rings only open up: a lip's highlight
/// or teeth would pull them in where they fit. The lip's middle rings follow.
struct PhotoLipFit: Sendable, Equatable {
    /// Distance on the a*b* plane between the lips' and the skin's median colours below which the outer ring stays.
    /// Measured: portrait_s1 25.6, the astronaut 14.0, portrait_s12 5.0 (a moustache), portrait_s11 3.6 (a soft,
    /// dim photo), portrait_s2 0 (greyscale).
    var minimumContrast: Float = 10
    /// How far a point may move, as a share of the mouth's width.
    var maximumShift: Float = 0.09
    /// How far inside the outer ring the lip is first looked for, as a share of the mouth's width: a point whose lip
    /// there is not lip-coloured (a thin lip, a highlight) stays.
    var start: Float = 0.03
    /// The share of the lip's depth (inner to outer point) an inner point may move: a lip dark through and through
    /// (in shadow, under a moustache) keeps its ring.
    var innerReach: Float = 0.6

    /// The moves of the points of ``FaceMeshTopology/outerLips`` and ``FaceMeshTopology/innerLips`` (photo pixels).
    struct Shifts: Equatable {
        var outer: [SIMD2<Float>]
        var inner: [SIMD2<Float>]

        var isEmpty: Bool { !(outer + inner).contains { $0 != .zero } }
    }

    /// `landmarks` (on `photo`) with the lip rings fitted; unchanged when neither ring moves.
    func fitted(_ landmarks: FaceLandmarks, in photo: RGBImage) -> FaceLandmarks {
        let points = landmarks.points2D
        guard let shifts = shifts(points, in: photo) else { return landmarks }
        let moved = Self.moving(points, by: shifts)
        var fitted = landmarks
        for i in fitted.points.indices { (fitted.points[i].x, fitted.points[i].y) = (moved[i].x, moved[i].y) }
        return fitted
    }

    /// The lip rings' moves; nil when none moves.
    func shifts(_ points: [SIMD2<Float>], in photo: RGBImage) -> Shifts? {
        guard points.count == FaceMeshTopology.pointCount else { return nil }
        let outer = FaceMeshTopology.outerLips.map { points[$0] }
        let inner = FaceMeshTopology.innerLips.map { points[$0] }
        let centre = outer.reduce(.zero, +) / Float(outer.count)
        let mouthWidth = length(points[FaceMeshTopology.mouthLeft] - points[FaceMeshTopology.mouthRight])
        guard mouthWidth >= 8 else { return nil }

        // The box round the mouth and the skin ring round it.
        let grown = outer.map { centre + Self.skinOuter * ($0 - centre) }
        let bounds = BoundingBox(bounding: grown)
        let pad = maximumShift * mouthWidth + 2
        let padded = BoundingBox(x: bounds.x - pad, y: bounds.y - pad, width: bounds.width + 2 * pad,
                                 height: bounds.height + 2 * pad)
        guard let (xs, ys) = padded.pixelRanges(width: photo.width, height: photo.height), xs.count >= 5, ys.count >= 5
        else { return nil }
        let (x0, y0) = (xs.lowerBound, ys.lowerBound)
        let box = Box(origin: SIMD2(x0, y0), width: xs.count, height: ys.count)

        // a*b* of the box.
        let lab = LabColor()
        var chroma = [SIMD2<Float>](repeating: .zero, count: box.width * box.height)
        for y in 0..<box.height {
            for x in 0..<box.width {
                let p = photo[x0 + x, y0 + y]
                let c = lab.lab(p.r, p.g, p.b)
                chroma[y * box.width + x] = SIMD2(c.y, c.z)
            }
        }
        let faceWidth = FaceMeshTopology.ovalWidth(points)
        let lips = LipSurround(outer: outer, inner: inner, faceWidth: faceWidth, margin: 0,
                               canvas: (photo.width, photo.height))
        var shifts = Shifts(outer: outerShifts(outer, inner: inner, centre: centre, mouthWidth: mouthWidth,
                                               chroma: chroma, box: box),
                            inner: lips.map { innerShifts(inner, outer: outer, mouthWidth: mouthWidth, around: $0, in: photo) }
                                ?? [SIMD2<Float>](repeating: .zero, count: inner.count))
        guard !shifts.isEmpty else { return nil }
        // Never so far that a mesh triangle is squashed (its texture would smear over the target's): the points of
        // each triangle that would shrink below a quarter move half as far, until none does.
        for _ in 0..<6 {
            let squashed = Self.squashed(points, moving: shifts)
            if squashed.outer.isEmpty && squashed.inner.isEmpty { return shifts }
            for k in squashed.outer { shifts.outer[k] /= 2 }
            for k in squashed.inner { shifts.inner[k] /= 2 }
        }
        return nil
    }

    /// The outer ring's moves: out to where the photo's lip colour ends (none on a photo whose lips do not stand
    /// apart from its skin in colour).
    private func outerShifts(_ ring: [SIMD2<Float>], inner: [SIMD2<Float>], centre: SIMD2<Float>, mouthWidth: Float,
                             chroma: [SIMD2<Float>], box: Box) -> [SIMD2<Float>] {
        let none = [SIMD2<Float>](repeating: .zero, count: ring.count)
        func scaled(_ s: Float) -> [SIMD2<Float>] { ring.map { centre + s * ($0 - centre) } }
        // The lips (the ring drawn in, less the opening) and the skin round them.
        var lips = box.filled(scaled(Self.lipInner))
        lips.cut(box.filled(inner))
        var skin = box.filled(scaled(Self.skinOuter))
        skin.cut(box.filled(scaled(Self.skinInner)))
        guard let lipColour = Self.median(chroma, where: lips), let skinColour = Self.median(chroma, where: skin)
        else { return none }
        let axis = lipColour - skinColour
        let contrast = length(axis)
        guard contrast >= minimumContrast else { return none }

        // How lip-coloured each pixel is (0 skin, 1 lip), lightly smoothed against the photo's noise.
        var lipness = AlphaMask(width: box.width, height: box.height,
                                values: chroma.map { (($0 - skinColour) * axis).sum() / (contrast * contrast) })
        lipness.gaussianBlur(sigma: 1, clamped: false)
        let placedLipness = box.placing(lipness)
        let normals = ring.indices.map { k -> SIMD2<Float> in
            let tangent = ring[(k + 1) % ring.count] - ring[(k + ring.count - 1) % ring.count]
            let normal = SIMD2(tangent.y, -tangent.x) / max(length(tangent), 1e-6)
            return ((ring[k] - centre) * normal).sum() < 0 ? -normal : normal
        }
        var along = [Float](repeating: 0, count: ring.count)
        for k in ring.indices where !Self.corners.contains(k) {
            func isLip(_ s: Float) -> Bool { placedLipness.value(at: ring[k] + s * normals[k]) >= 0.5 }
            var s = -start * mouthWidth
            guard isLip(s) else { continue }
            while s + Self.step <= maximumShift * mouthWidth, isLip(s + Self.step) { s += Self.step }
            along[k] = max(s, 0)
        }
        return zip(Self.medianOfThree(along), normals).map { $0 * $1 }
    }

    /// The inner ring's moves: each point on its line to the outer point, past the dark gap between the lips.
    private func innerShifts(_ ring: [SIMD2<Float>], outer: [SIMD2<Float>], mouthWidth: Float, around: LipSurround,
                             in photo: RGBImage) -> [SIMD2<Float>] {
        // Each lip's median brightness over its band.
        let luma = around.luma(of: photo)
        let band = around.band.values
        let counts = band.indices.reduce(into: (upper: 0, lower: 0)) { counts, i in
            guard band[i] > 0 else { return }
            if around.upper[i] { counts.upper += 1 } else { counts.lower += 1 }
        }
        guard counts.upper >= 16, counts.lower >= 16 else { return [SIMD2<Float>](repeating: .zero, count: ring.count) }
        let (upperLip, lowerLip) = (around.quantile(luma, upper: true, weight: band, 0.5),
                                    around.quantile(luma, upper: false, weight: band, 0.5))

        let placedLuma = PlacedMask(origin: SIMD2(around.x0, around.y0),
                                    mask: AlphaMask(width: around.width, height: around.height, values: luma))
        var along = [Float](repeating: 0, count: ring.count)
        var directions = [SIMD2<Float>](repeating: .zero, count: ring.count)
        for k in ring.indices where !Self.corners.contains(k) {
            let across = outer[k] - ring[k]
            let depth = length(across)
            guard depth > 1 else { continue }
            directions[k] = across / depth
            let dark = Relighting.lipDark * (k < ring.count / 2 ? lowerLip : upperLip)
            func isGap(_ s: Float) -> Bool { placedLuma.value(at: ring[k] + s * directions[k]) < dark }
            let limit = min(innerReach * depth, maximumShift * mouthWidth)
            guard isGap(0) else { continue }
            var s: Float = 0
            while s + Self.step <= limit, isGap(s + Self.step) { s += Self.step }
            if s + Self.step <= limit { along[k] = s + Self.step }
        }
        return zip(Self.medianOfThree(along), directions).map { $0 * $1 }
    }

    /// `points` with the lip rings moved by `shifts`; the lip's middle rings follow, each point by its place between
    /// the inner and the outer ring.
    static func moving(_ points: [SIMD2<Float>], by shifts: Shifts) -> [SIMD2<Float>] {
        var moved = points
        for k in shifts.outer.indices {
            let (i, o) = (FaceMeshTopology.innerLips[k], FaceMeshTopology.outerLips[k])
            let across = points[o] - points[i]
            let span = max((across * across).sum(), 1e-6)
            for ring in FaceMeshTopology.middleLips {
                let u = min(max(((points[ring[k]] - points[i]) * across).sum() / span, 0), 1)
                moved[ring[k]] += shifts.inner[k] + u * (shifts.outer[k] - shifts.inner[k])
            }
            moved[i] += shifts.inner[k]
            moved[o] += shifts.outer[k]
        }
        return moved
    }

    /// The positions in ``FaceMeshTopology/outerLips`` and ``FaceMeshTopology/innerLips`` of the moving points of
    /// every mesh triangle that moving the rings by `shifts` (``moving(_:by:)``) turns over or shrinks below a
    /// quarter of its area. A middle lip point moves with both points on its line across the lip.
    static func squashed(_ points: [SIMD2<Float>], moving shifts: Shifts) -> (outer: Set<Int>, inner: Set<Int>) {
        let moved = moving(points, by: shifts)
        var line = [Int: Int]()
        for k in shifts.outer.indices where shifts.outer[k] != .zero || shifts.inner[k] != .zero {
            for index in [FaceMeshTopology.innerLips[k], FaceMeshTopology.outerLips[k]] { line[index] = k }
            for ring in FaceMeshTopology.middleLips { line[ring[k]] = k }
        }
        var squashed = (outer: Set<Int>(), inner: Set<Int>())
        for t in FaceMeshTriangulation.triangles {
            let lines = [t.x, t.y, t.z].compactMap { line[$0] }
            guard !lines.isEmpty, FaceMeshTriangulation.isSquashed(t, from: points, to: moved) else { continue }
            for k in lines {
                if shifts.outer[k] != .zero { squashed.outer.insert(k) }
                if shifts.inner[k] != .zero { squashed.inner.insert(k) }
            }
        }
        return squashed
    }

    /// Positions of the corners (``FaceMeshTopology/mouthRight``, ``FaceMeshTopology/mouthLeft`` and the inner
    /// ring's) in the lip rings.
    static let corners: Set<Int> = [0, 10]
    /// The outer ring drawn in to this share about the mouth's centre: the lips, clear of their edge.
    static let lipInner: Float = 0.85
    /// The skin round the mouth lies between the outer ring grown to these shares about the mouth's centre.
    static let skinInner: Float = 1.35
    static let skinOuter: Float = 1.7
    /// Search step along a line across the lip, pixels.
    static let step: Float = 0.5

    /// Each of `values` (a closed ring) replaced by the median of itself and its neighbours: a lone point does not
    /// move on its own (a fleck of colour on the skin, a tooth's shadow).
    private static func medianOfThree(_ values: [Float]) -> [Float] {
        let n = values.count
        return values.indices.map { k in
            corners.contains(k) ? 0 : [values[(k + n - 1) % n], values[k], values[(k + 1) % n]].sorted()[1]
        }
    }

    /// The per-channel median of `values` where `mask` > 0.5; nil for fewer than 16 such pixels.
    private static func median(_ values: [SIMD2<Float>], where mask: AlphaMask) -> SIMD2<Float>? {
        let picked = values.indices.filter { mask.values[$0] > 0.5 }
        guard picked.count >= 16 else { return nil }
        let a = picked.map { values[$0].x }.sorted(), b = picked.map { values[$0].y }.sorted()
        return SIMD2(a[a.count / 2], b[b.count / 2])
    }

    /// The part of the photo round the mouth the fit looks at.
    private struct Box {
        /// Photo pixel of the box's pixel (0, 0).
        let origin: SIMD2<Int>
        let width: Int, height: Int

        /// ``origin`` as a point.
        var corner: SIMD2<Float> { SIMD2(Float(origin.x), Float(origin.y)) }

        /// `polygon` (photo pixels) filled over the box.
        func filled(_ polygon: [SIMD2<Float>]) -> AlphaMask {
            PolygonRasterizer.fill(polygon.map { $0 - corner }, width: width, height: height)
        }

        /// `plane` (over the box) placed on the photo, to be read at photo points.
        func placing(_ plane: AlphaMask) -> PlacedMask { PlacedMask(origin: origin, mask: plane) }
    }
}

private func length(_ v: SIMD2<Float>) -> Float { (v * v).sum().squareRoot() }
