import Face
import Imaging
import Stream

/// Whether keep-glasses is on: detected per face (`auto`), always, or never.
public enum GlassesMode: String, Sendable, CaseIterable {
    case auto, on, off
}

/// Finds the target's glasses in swap space so the merger can leave those pixels alone: thin dark or light
/// structures (black and white top-hats of the luma) in the band across the eyes and the nose bridge.
///
/// Presence is judged where a frame crosses skin that is otherwise smooth: at the nose bridge and past both outer
/// eye corners (a thin line across each of three strips), or, for faint frames those miss, along the lower rims
/// (``LowerRims``). Across frames the evidence is averaged per face (``GlassesTrack``) with hysteresis, so the kept
/// pixels do not blink.
enum GlassesDetector {
    /// Top-hat strength (luma 0…1) from which a pixel is part of a frame (≈ 18 levels darker than its closing).
    static let lineThreshold: Float = 0.07
    /// Evidence (the strips' share of bins crossed by a line, or the lower rims') from which a face has glasses.
    static let presentAbove: Float = 0.6
    static let absentBelow: Float = 0.4

    /// Thin dark structures of `image` in the eye band (0…1 per pixel, 0 outside the band), plus the evidence of
    /// glasses; `framePixel`: swap pixels per frame pixel (the lower rims are looked for on faces large in the frame).
    static func detect(in image: RGBImage, points: [SIMD2<Float>],
                       framePixel: Float = 1) -> (lines: AlphaMask, evidence: Float)? {
        // Band: the eye line ± 0.45 d (brows to cheekbones), a quarter of d past each corner.
        guard let axis = EyeAxis(points),
              let band = EyeBand(axis: axis, across: -0.75...0.75, down: -0.45...0.45, in: image) else { return nil }
        let (w, h) = (image.width, image.height)
        let (centre, u, v, d) = (axis.centre, axis.u, axis.v, axis.d)
        let (x0, y0, bw, bh) = (band.x0, band.y0, band.width, band.height)
        let radius = max(2, Int((0.04 * d).rounded()))
        let line = band.topHat(band.quietLuma(of: image), radius: radius)
        var lines = AlphaMask(width: w, height: h)
        // Bridge strip: between the inner eye corners, from 0.3 d above the eye line to 0.1 d below.
        let inner = (points[FaceMeshTopology.rightEyeInner] + points[FaceMeshTopology.leftEyeInner]) / 2
        // A frame crosses the nose bridge (a line along the eye axis) and runs down past each outer eye corner (a
        // line across it); brows, creases and shadows rarely do all three.
        var bridge = Strip(across: -0.1...0.1, down: -0.3...0.1, lineAlongAxis: true)
        var right = Strip(across: -0.72 ... -0.5, down: -0.25...0.2, lineAlongAxis: false)
        var left = Strip(across: 0.5...0.72, down: -0.25...0.2, lineAlongAxis: false)
        for y in 0..<bh {
            for x in 0..<bw {
                let p = SIMD2(Float(x0 + x), Float(y0 + y))
                let q = p - centre
                let (s, t) = ((q * u).sum() / d, (q * v).sum() / d)
                guard abs(s) <= 0.75, abs(t) <= 0.45 else { continue }
                // Outside the band's ends the top-hat's zero padding would read as lines.
                guard x >= radius, y >= radius, x < bw - radius, y < bh - radius else { continue }
                let strength = line.values[y * bw + x]
                let r = p - inner
                let (bs, bt) = ((r * u).sum() / d, (r * v).sum() / d)
                let isLine = strength > lineThreshold
                bridge.observe(across: bs, down: bt, line: isLine)
                right.observe(across: s, down: t, line: isLine)
                left.observe(across: s, down: t, line: isLine)
                if isLine { lines.values[(y0 + y) * w + x0 + x] = min(1, strength / lineThreshold - 1) }
            }
        }
        let strips = min(bridge.evidence, right.evidence, left.evidence)
        guard strips < 1, d >= LowerRims.minimumEyeDistance * framePixel else { return (lines, strips) }
        return (lines, max(strips, LowerRims.evidence(in: image, points: points, axis: axis)))
    }
}

/// A box of swap pixels holding a stretch of the eye band (in eye distances along and across the eye line), clipped
/// to the image.
struct EyeBand {
    let x0: Int, y0: Int, width: Int, height: Int

    init?(axis: EyeAxis, across: ClosedRange<Float>, down: ClosedRange<Float>, in image: RGBImage) {
        let corners = [SIMD2(across.lowerBound, down.lowerBound), SIMD2(across.upperBound, down.lowerBound),
                       SIMD2(across.upperBound, down.upperBound), SIMD2(across.lowerBound, down.upperBound)]
        let box = BoundingBox(bounding: corners.map { axis.point($0.x, $0.y) })
        guard let pixels = box.pixelRanges(width: image.width, height: image.height),
              pixels.x.count > 8, pixels.y.count > 8 else { return nil }
        (x0, y0, width, height) = (pixels.x.lowerBound, pixels.y.lowerBound, pixels.x.count, pixels.y.count)
    }

    /// The whole of `image`.
    init(covering image: RGBImage) {
        (x0, y0, width, height) = (0, 0, image.width, image.height)
    }

    /// The box's luma (0…1).
    func luma(of image: RGBImage) -> AlphaMask { image.lumaPlane(x: x0, y: y0, width: width, height: height) }

    /// Thin structures of `luma` up to `2 × radius` pixels wide: frames are dark (black top-hat: closing − luma) or
    /// light metal and plastic (white top-hat: luma − opening). Within `radius` of the box's edges the filters'
    /// zero padding would read as lines, so those pixels are 0.
    func topHat(_ luma: AlphaMask, radius: Int) -> AlphaMask {
        var closed = luma, opened = luma
        closed.erode(pixels: -radius)
        closed.erode(pixels: radius)
        opened.erode(pixels: radius)
        opened.erode(pixels: -radius)
        var line = AlphaMask(width: width, height: height)
        for y in radius..<max(radius, height - radius) {
            for x in radius..<max(radius, width - radius) {
                let j = y * width + x
                line.values[j] = max(closed.values[j] - luma.values[j], luma.values[j] - opened.values[j])
            }
        }
        return line
    }
}

/// A strip of the eye band (in eye distances: `across` along the eye axis from the reference point, `down`
/// perpendicular to it) in a grid of cells, asking whether a line crosses the whole strip: along the eye axis (the
/// bridge) or across it (a rim past an outer eye corner). A frame crosses it at one place; brows, eye corners,
/// creases and shadows are blobs that fill a few cells only.
struct Strip {
    static let bins = 12
    let across: ClosedRange<Float>, down: ClosedRange<Float>
    /// true: the line runs along the eye axis (it must cross every `across` bin at one `down` height).
    let lineAlongAxis: Bool
    private var hit = [Bool](repeating: false, count: bins * bins)
    private var seen = [Bool](repeating: false, count: bins)

    init(across: ClosedRange<Float>, down: ClosedRange<Float>, lineAlongAxis: Bool) {
        self.across = across
        self.down = down
        self.lineAlongAxis = lineAlongAxis
    }

    mutating func observe(across s: Float, down t: Float, line: Bool) {
        guard across.contains(s), down.contains(t) else { return }
        func bin(_ v: Float, _ r: ClosedRange<Float>) -> Int {
            min(Self.bins - 1, Int((v - r.lowerBound) / (r.upperBound - r.lowerBound) * Float(Self.bins)))
        }
        let (a, d) = (bin(s, across), bin(t, down))
        // `along`: the bins the line must cross; `offset`: where it crosses them.
        let (along, offset) = lineAlongAxis ? (a, d) : (d, a)
        seen[along] = true
        if line { hit[offset * Self.bins + along] = true }
    }

    /// The largest share of the strip's bins crossed by a line within three adjacent offsets.
    var evidence: Float {
        let total = seen.filter { $0 }.count
        guard total > 0 else { return 0 }
        var best = 0
        for offset in 0..<Self.bins {
            var crossed = 0
            for along in 0..<Self.bins where seen[along] {
                if (max(0, offset - 1)...min(Self.bins - 1, offset + 1)).contains(where: { hit[$0 * Self.bins + along] }) {
                    crossed += 1
                }
            }
            best = max(best, crossed)
        }
        return Float(best) / Float(total)
    }
}

/// A face's glasses over time: evidence averaged over frames, present/absent with hysteresis, and how much of them
/// is kept.
public struct GlassesTrack: Sendable {
    /// Running mean of the evidence (the strips' or the lower rims', ``GlassesDetector/detect(in:points:framePixel:)``):
    /// exponential, about 5 frames, 10 while glasses are kept and it falls.
    public private(set) var evidence: Float?
    /// Whether this face wears glasses, with hysteresis (``GlassesDetector/presentAbove``,
    /// ``GlassesDetector/absentBelow``).
    public private(set) var present = false
    /// How much of the glasses is kept (0…1): it follows ``present`` by ``fadeStep`` per look, so glasses found or
    /// lost (in a blurred head turn) fade in and out over a few frames instead of popping. A track's first look
    /// sets it at once (nothing to fade from; a still image is judged alone).
    public private(set) var shown: Float = 0
    /// Change of ``shown`` per look.
    static let fadeStep: Float = 0.25
    /// Weight of each frame in the running mean of the evidence: found glasses are lost more slowly (a blurred head
    /// turn or a hand hides them for a moment; glasses are rarely taken off).
    static let rate: Float = 0.2
    static let rateWhileKept: Float = 0.1
    /// Frames to skip before the next look while the face clearly has no glasses.
    private var idle = 0
    /// The rims last kept, followed from frame to frame (``RimFit/following(_:)``).
    private var rims: RimFit?
    /// Looks since the rims were last fitted: they live round the eyes, so a fit holds for the next frame too.
    private var rimsAge = 0
    /// Looks a fit is reused for before the next one (every other frame: half the fit's cost).
    static let rimsReused = 1
    /// Frames between looks at a face that has none (evidence below ``GlassesDetector/absentBelow``, nothing
    /// shown): glasses are not put on in a few frames. The rest starts at the absent bound itself: faces without
    /// glasses read 0.25–0.36 on average on the shared clips (glasses 0.58), so a lower start would look at them on
    /// almost every frame, and a look is about 15 % of a merge.
    static let idleFrames = 4

    public init() {}

    /// Whether to look on this frame: always while glasses are seen or in doubt, every few frames otherwise.
    mutating func shouldLook() -> Bool {
        guard idle == 0 else { idle -= 1; return false }
        return true
    }

    mutating func observe(_ frameEvidence: Float) {
        let first = evidence == nil
        let rate = present && frameEvidence < (evidence ?? 0) ? Self.rateWhileKept : Self.rate
        let e = evidence.map { $0 + rate * (frameEvidence - $0) } ?? frameEvidence
        evidence = e
        if e > GlassesDetector.presentAbove { present = true } else if e < GlassesDetector.absentBelow { present = false }
        if first {
            shown = present ? 1 : 0
        } else {
            shown = present ? min(1, shown + Self.fadeStep) : max(0, shown - Self.fadeStep)
        }
        if !present, shown == 0, e < GlassesDetector.absentBelow { idle = Self.idleFrames }
    }

    /// The rims to keep on this look: the last fit again while it is fresh (``rimsReused`` looks), else `fit()`
    /// followed from it (``RimFit/following(_:)``), so the kept band does not shimmer.
    mutating func keptRims(fitting fit: () -> RimFit?) -> RimFit? {
        if let rims, rimsAge < Self.rimsReused {
            rimsAge += 1
            return rims
        }
        rims = fit().map { rims?.following($0) ?? $0 }
        rimsAge = 0
        return rims
    }

    /// Nothing is kept on this look: the next rims are fitted afresh.
    mutating func dropRims() {
        rims = nil
    }

    /// A look that found no eye band (the face too small or cut by the frame's edge): what was kept fades, and the
    /// rims are fitted afresh when it is back.
    mutating func missed() {
        shown = max(0, shown - Self.fadeStep)
        dropRims()
    }
}
