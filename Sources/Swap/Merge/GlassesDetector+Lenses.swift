import Foundation
import Face
import Imaging
import Stream

/// The eye band's frame: the line through the outer eye corners, in eye distances `d`.
struct EyeAxis {
    let centre: SIMD2<Float>, u: SIMD2<Float>, v: SIMD2<Float>, d: Float

    init?(_ points: [SIMD2<Float>]) {
        guard points.count == FaceMeshTopology.pointCount else { return nil }
        let a = points[FaceMeshTopology.rightEyeOuter], b = points[FaceMeshTopology.leftEyeOuter]
        d = ((b - a) * (b - a)).sum().squareRoot()
        guard d > 8 else { return nil }
        u = (b - a) / d
        v = SIMD2(-u.y, u.x)
        centre = (a + b) / 2
    }

    /// The point `s` eye distances along the axis and `t` across it from the centre.
    func point(_ s: Float, _ t: Float) -> SIMD2<Float> { centre + d * (s * u + t * v) }

    /// `p`'s `(s, t)`: eye distances along the axis and across it from the centre (``point(_:_:)`` undone).
    func coordinates(of p: SIMD2<Float>) -> SIMD2<Float> {
        let q = p - centre
        return SIMD2((q * u).sum(), (q * v).sum()) / d
    }
}

/// The frames of detected glasses without what is seen through their lenses.
///
/// The detector's thin lines hold the frames but also whatever thin and contrasted lies behind the lenses: the
/// target's lashes, lid lines, irises, creases, and the strips of skin between them and the rims, which would keep
/// his eyes in front of the new face. Each rim is fitted round its eye on the line contrast (``RimFit``) or, without
/// the frame's image, traced as a closed path on the lines (``RimTrace``); lines inside it (the lens) and on the eyes
/// are dropped, the rest (rims, bridge, temples) kept. Brows are the new face's, except where a rim runs through them.
extension GlassesDetector {
    /// Each eye's ring with its upper crease: the right eye's, then the left one's.
    static let eyeRings = [(FaceMeshTopology.rightEye, FaceMeshTopology.rightEyeUpperCrease),
                           (FaceMeshTopology.leftEye, FaceMeshTopology.leftEyeUpperCrease)]

    /// How far the rim band reaches either side of the traced or fitted rim, in eye distances (a rim's half-width and
    /// the path's error).
    static let rimHalfWidth: Float = 0.025

    /// One lens of the glasses: the rim traced round its eye on the thresholded lines, and the lens's outline (inside
    /// the fitted rim where a line was seen along it, fitted on the contrast it holds on faint frames too; else inside
    /// the traced rim). Either may be missing.
    struct Lens {
        var rim: RimTrace?
        var outline: [SIMD2<Float>]?
    }

    /// Both lenses (the right eye's, then the left one's) of the glasses whose lines are `lines`
    /// (``detect(in:points:framePixel:)``), with `fit` when the rims were fitted; empty without an eye axis.
    static func lenses(of lines: AlphaMask, fit: RimFit?, points: [SIMD2<Float>]) -> [Lens] {
        guard let axis = EyeAxis(points) else { return [] }
        let band = rimHalfWidth * axis.d
        return eyeRings.enumerated().map { e, rings in
            let rim = RimTrace(lines: lines, eye: rings.0.map { points[$0] }, axis: axis)
            if let fit, fit.isSeen(e) { return Lens(rim: rim, outline: fit.outline(e, offset: -band, axis: axis)) }
            return Lens(rim: rim, outline: rim?.outline(offset: -band))
        }
    }

    /// The frame lines of `lines` (``detect(in:points:framePixel:)``, swap space, 0…1) for a face with `points`: lens
    /// interiors, eyes and brows cut out. With `fit` (the rims fitted on the frame's thin-line contrast) the rims are
    /// also kept as continuous bands where a line is seen along them: faint frames are otherwise only the few specks
    /// over the threshold. `lenses` as ``lenses(of:fit:points:)`` gives them (found here when nil).
    static func frames(of lines: AlphaMask, fit: RimFit? = nil, lenses: [Lens]? = nil,
                       points: [SIMD2<Float>]) -> AlphaMask {
        guard let axis = EyeAxis(points) else { return lines }
        let lenses = lenses ?? Self.lenses(of: lines, fit: fit, points: points)
        let (w, h) = (lines.width, lines.height)
        // Brows are the new face's.
        var brows = AlphaMask(width: w, height: h)
        for ring in [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing] {
            PolygonRasterizer.fill(ring.map { points[$0] }, into: &brows)
        }
        var inside = AlphaMask(width: w, height: h), rims = AlphaMask(width: w, height: h)
        let band = rimHalfWidth * axis.d
        for (e, (ring, crease)) in eyeRings.enumerated() {
            // The eye, lashes and lid up to the crease, grown a little: never a frame (the eye looks through it).
            let eye = FaceMeshTopology.eyeWithLashes(ring, crease: crease, on: points, reach: 1)
            let middle = eye.reduce(SIMD2<Float>.zero, +) / Float(eye.count)
            PolygonRasterizer.fill(eye.map { middle + 1.2 * ($0 - middle) }, into: &inside)
            guard e < lenses.count else { continue }
            if let outline = lenses[e].outline { PolygonRasterizer.fill(outline, into: &inside) }
            // A traced rim that runs through a brow stays.
            guard let rim = lenses[e].rim else { continue }
            var outer = PolygonRasterizer.fill(rim.outline(offset: band), width: w, height: h)
            outer.cut(PolygonRasterizer.fill(rim.outline(offset: -band), width: w, height: h))
            outer.cut(inside)
            rims.formUnion(outer)
        }
        var kept = lines
        kept.cut(inside)
        // A rim running through a brow stays (the thresholded lines' rims; the fitted bands stay out of the brows,
        // where a brow's edge may be what they found).
        var fitted = fit?.bands(width: w, height: h, axis: axis, halfWidth: band)
        fitted?.cut(inside)
        fitted?.cut(brows)
        brows.cut(rims)
        kept.cut(brows)
        if let fitted { kept.formUnion(fitted) }
        return kept
    }
}

/// A rim of glasses traced round one eye: for each of `angles` directions from the eye's centre, the distance at
/// which the path crosses the strongest thin lines, found by dynamic programming over a closed path whose distance
/// changes little from one direction to the next (a rim is one smooth loop; lashes, creases and brows are pieces).
/// The search starts outside the eye (an ellipse round its corners) and ends at the eye band's edge.
struct RimTrace {
    static let angles = 72
    /// Mean line strength along the path below which no rim is taken (rimless glasses, or none).
    static let minimumStrength: Float = 0.2

    let centre: SIMD2<Float>
    /// Unit direction per angle.
    let directions: [SIMD2<Float>]
    /// Distance of the path from `centre` per angle (pixels).
    let radii: [Float]

    init?(lines: AlphaMask, eye: [SIMD2<Float>], axis: EyeAxis) {
        let k = Self.angles
        let centre = eye.reduce(SIMD2<Float>.zero, +) / Float(eye.count)
        let halfWidth = eye.map { abs((($0 - centre) * axis.u).sum()) }.max() ?? 0
        // Outside the eye: an ellipse past its corners and above the lid crease.
        let (a, b) = (halfWidth + 0.03 * axis.d, 0.1 * axis.d)
        let count = Int((0.45 * axis.d).rounded(.up)) + 1
        let directions = (0..<k).map { i in
            let angle = 2 * Float.pi * Float(i) / Float(k)
            return cos(angle) * axis.u + sin(angle) * axis.v
        }
        // Strength of the lines per (angle, distance); −∞ inside the eye's ellipse.
        var response = [Float](repeating: -.infinity, count: k * count)
        for i in 0..<k {
            let angle = 2 * Float.pi * Float(i) / Float(k)
            let start = 1 / ((cos(angle) / a) * (cos(angle) / a) + (sin(angle) / b) * (sin(angle) / b)).squareRoot()
            for r in Int(start.rounded(.up))..<count {
                let p = centre + Float(r) * directions[i]
                let (x, y) = (Int(p.x.rounded()), Int(p.y.rounded()))
                response[i * count + r] = x >= 0 && y >= 0 && x < lines.width && y < lines.height
                    ? min(1, lines[x, y]) : 0
            }
        }
        // Two laps round the eye, so the second starts where a closed path would; its distances are the trace.
        let jump = max(1, Int((0.035 * axis.d).rounded())), penalty: Float = 0.03
        var score = Array(response[0..<count])
        var from = [Int32](repeating: 0, count: 2 * k * count)
        for step in 1..<(2 * k) {
            let i = step % k
            var next = [Float](repeating: -.infinity, count: count)
            for r in 0..<count where response[i * count + r] > -.infinity {
                var best = -Float.infinity, arg = r
                for q in max(0, r - jump)...min(count - 1, r + jump) {
                    let s = score[q] - penalty * Float(abs(q - r))
                    if s > best { best = s; arg = q }
                }
                next[r] = best + response[i * count + r]
                from[step * count + r] = Int32(arg)
            }
            score = next
        }
        var r = score.indices.max { score[$0] < score[$1] } ?? 0
        guard score[r] > -.infinity else { return nil }
        var path = [Int](repeating: 0, count: 2 * k)
        for step in stride(from: 2 * k - 1, through: 0, by: -1) {
            path[step] = r
            if step > 0 { r = Int(from[step * count + r]) }
        }
        var radii = [Float](repeating: 0, count: k), total: Float = 0
        for step in k..<(2 * k) {
            radii[step % k] = Float(path[step])
            total += response[(step % k) * count + path[step]]
        }
        guard total / Float(k) >= Self.minimumStrength else { return nil }
        (self.centre, self.directions, self.radii) = (centre, directions, radii)
    }

    /// The path moved `offset` pixels outwards (inwards when negative), as a polygon.
    func outline(offset: Float) -> [SIMD2<Float>] {
        zip(radii, directions).map { centre + max(0, $0 + offset) * $1 }
    }
}
