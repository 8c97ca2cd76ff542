import Face
import Imaging

/// Where the one-shot swap lays the photo's face: the photo's own facial proportions (eye spacing, nose, mouth and
/// brow placement) in the target's pose, plus the target's expression; the face oval stays the target's.
///
/// Laying the photo's triangles on the target's landmarks gives the new face the target's geometry, which carries
/// most of the target's identity (a face recogniser kept picking the target). Here each landmark is moved by the
/// *identity offset* — photo minus the target's neutral face, both in a head frame (centred, rotated upright with
/// FaceMesh's depth, scaled to the face's size) — turned and scaled back into the target's current pose.
/// The target's expression is what its landmarks add to its neutral face, so it passes through unchanged. The
/// offset fades to 0 at the face oval, so the outline still meets the target's jaw, ears and hairline.
///
/// A photo has an expression of its own (the shipped one smiles: wide mouth, narrowed eyes), which is not identity.
/// So the mouth and everything the jaw carries only move with the photo's nose base (its mouth placement), and each
/// eye takes the photo's corners (position, width, tilt) on the target's own lids, not the photo's opening.
///
/// The neutral face of a tracked target is its running mean in the head frame (``NeutralFaces``); a face without a
/// track (one still) is its own neutral.
struct IdentityShape: Sendable {
    /// The photo's landmarks in its head frame.
    let source: [SIMD3<Float>]
    /// Per landmark, how much of the identity offset it takes: 0 on the face oval, 1 from `reach` inside it.
    let weights: [Float]
    /// Per landmark, how its offset is found.
    private let rules: [Rule]

    private enum Rule: Sendable {
        /// Its own: photo minus neutral.
        case own
        /// The mean offset of these points (the mouth follows the nose base).
        case follow([Int])
        /// The similarity taking the neutral's eye corners (a, b) to the photo's.
        case eye(Int, Int)
    }

    /// Points at the base of the nose whose offset the mouth and jaw take.
    static let noseBase = [2, 164, 98, 327]

    /// - Parameters:
    ///   - source: the photo's 468 landmarks (pixels, FaceMesh depth).
    ///   - reach: distance from the oval (in the photo's head frame, ``HeadFrame/scale`` units) over which the
    ///     offset grows from 0 to full.
    init(source: [SIMD3<Float>], reach: Float = 0.25) {
        let frame = HeadFrame(source)
        let canonical = source.map { frame.canonical($0) }
        self.source = canonical
        let oval = FaceMeshTopology.faceOval.map { SIMD2(canonical[$0].x, canonical[$0].y) }
        weights = canonical.map { p in
            let q = SIMD2(p.x, p.y)
            let d = oval.map { ($0 - q) * ($0 - q) }.map { $0.sum() }.min()!.squareRoot()
            return Ramp.smoothstep(min(max(d / max(reach, 1e-6), 0), 1))
        }
        var rules = [Rule](repeating: .own, count: source.count)
        for i in FaceMeshTopology.movingParts { rules[i] = .follow(Self.noseBase) }
        for i in FaceMeshTopology.rightEyebrow + FaceMeshTopology.leftEyebrow { rules[i] = .own }
        for (ring, crease, a, b) in [
            (FaceMeshTopology.rightEye, FaceMeshTopology.rightEyeUpperCrease, FaceMeshTopology.rightEyeOuter,
             FaceMeshTopology.rightEyeInner),
            (FaceMeshTopology.leftEye, FaceMeshTopology.leftEyeUpperCrease, FaceMeshTopology.leftEyeInner,
             FaceMeshTopology.leftEyeOuter),
        ] {
            for i in ring + crease { rules[i] = .eye(a, b) }
        }
        self.rules = rules
    }

    /// The identity offset of landmark `i` (head frame) against `neutral`.
    private func offset(_ i: Int, neutral: [SIMD3<Float>]) -> SIMD3<Float> {
        switch rules[i] {
        case .own:
            return source[i] - neutral[i]
        case .follow(let anchors):
            return anchors.map { source[$0] - neutral[$0] }.reduce(.zero, +) / Float(anchors.count)
        case .eye(let a, let b):
            // z = (Sb − Sa) / (Nb − Na) as complex numbers: the neutral eye's corners onto the photo's.
            let n = SIMD2(neutral[b].x - neutral[a].x, neutral[b].y - neutral[a].y)
            let m = SIMD2(source[b].x - source[a].x, source[b].y - source[a].y)
            let nn = max((n * n).sum(), 1e-12)
            let z = SIMD2(m.x * n.x + m.y * n.y, m.y * n.x - m.x * n.y) / nn
            let d = SIMD2(neutral[i].x - neutral[a].x, neutral[i].y - neutral[a].y)
            let moved = SIMD2(source[a].x, source[a].y) + SIMD2(z.x * d.x - z.y * d.y, z.x * d.y + z.y * d.x)
            let dz = (source[a].z - neutral[a].z + source[b].z - neutral[b].z) / 2
            return SIMD3(moved.x - neutral[i].x, moved.y - neutral[i].y, dz)
        }
    }

    /// The landmarks (pixels) to lay the photo on: `target` (its current landmarks) moved by `strength` × the
    /// identity offset against `neutral` (the target's neutral face in its head frame, ``canonical(_:)``).
    func landmarks(target: [SIMD3<Float>], neutral: [SIMD3<Float>], strength: Float) -> [SIMD2<Float>] {
        let frame = HeadFrame(target)
        return target.indices.map { i in
            let offset = frame.toPose(strength * weights[i] * self.offset(i, neutral: neutral))
            return SIMD2(target[i].x + offset.x, target[i].y + offset.y)
        }
    }

    /// `points` in their own head frame.
    static func canonical(_ points: [SIMD3<Float>]) -> [SIMD3<Float>] {
        let frame = HeadFrame(points)
        return points.map { frame.canonical($0) }
    }
}

/// A face's head frame from FaceMesh landmarks: origin at the mean of the points that stay put when talking, x along
/// the eye corners, y forehead → nose base (made orthogonal; not the chin, which talking moves: the frame would
/// nod with the jaw and turn the offset against the mouth's motion), z their cross product, unit = the RMS distance of those
/// points from the origin (the face's size: eye spacing, nose and mouth then count relative to the whole face).
struct HeadFrame {
    let origin: SIMD3<Float>
    let x: SIMD3<Float>, y: SIMD3<Float>, z: SIMD3<Float>
    let scale: Float
    /// The base of the nose (subnasale).
    static let noseBase = 2

    init(_ p: [SIMD3<Float>]) {
        var sum = SIMD3<Float>.zero
        for i in FaceMeshTopology.stablePoints { sum += p[i] }
        origin = sum / Float(FaceMeshTopology.stablePoints.count)
        var spread: Float = 0
        for i in FaceMeshTopology.stablePoints { spread += ((p[i] - origin) * (p[i] - origin)).sum() }
        scale = max((spread / Float(FaceMeshTopology.stablePoints.count)).squareRoot(), 1e-6)
        let across = p[FaceMeshTopology.leftEyeOuter] - p[FaceMeshTopology.rightEyeOuter]
        x = across / max(Self.length(across), 1e-6)
        var down = p[Self.noseBase] - p[FaceMeshTopology.foreheadTop]
        down -= (down * x).sum() * x
        y = down / max(Self.length(down), 1e-6)
        z = SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
    }

    /// A point (pixels) in this frame.
    func canonical(_ p: SIMD3<Float>) -> SIMD3<Float> {
        let d = (p - origin) / scale
        return SIMD3((d * x).sum(), (d * y).sum(), (d * z).sum())
    }

    /// A displacement in this frame, turned and scaled into pixels.
    func toPose(_ d: SIMD3<Float>) -> SIMD3<Float> { scale * (d.x * x + d.y * y + d.z * z) }

    private static func length(_ v: SIMD3<Float>) -> Float { (v * v).sum().squareRoot() }
}

/// The neutral face of each tracked target: the running mean of its landmarks in its head frame, over the first
/// `window` frames and then an exponential mean with the same time constant, so expressions average out while a
/// new person under the same track settles within seconds. Tracks not seen for `forgetAfter` updates are dropped.
final class NeutralFaces: Sendable {
    let window: Int
    private let store: TrackStore<(mean: [SIMD3<Float>], count: Int)>

    init(window: Int = 90, forgetAfter: Int = 300) {
        self.window = max(1, window)
        store = TrackStore(forgetAfter: forgetAfter)
    }

    /// Adds `canonical` (a face in its head frame) to track `id`'s mean and returns the mean.
    func update(_ canonical: [SIMD3<Float>], trackID id: Int) -> [SIMD3<Float>] {
        store.update(id) { entry in
            guard var e = entry, e.mean.count == canonical.count else { return (canonical, 1) }
            e.count += 1
            let a = 1 / Float(min(e.count, window))
            for i in e.mean.indices { e.mean[i] += a * (canonical[i] - e.mean[i]) }
            return e
        }.mean
    }
}
