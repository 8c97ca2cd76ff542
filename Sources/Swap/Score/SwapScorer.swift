import Face
import Imaging
import Stream

/// Accumulates ``SwapScore`` figures over pairs of frames (original, swapped output) with one face each.
///
/// Border figures (seam, colour, detail) come from the pixels: the replaced region is wherever the output differs
/// from the original around the original's face (``ReplacedRegion``). Pose and mouth come from facelive's own
/// landmarks on both videos.
public struct SwapScorer {
    private var frames = 0, scored = 0
    private var seam = (output: 0.0, original: 0.0)
    private var colour = MeanAccumulator()
    private var detail = (lost: 0.0, original: 0.0)
    private var texture = (output: 0.0, original: 0.0)
    private var pose = MeanAccumulator()
    private var mouth: [(original: Double, output: Double)] = []
    private var flicker = (output: 0.0, original: 0.0)
    private var previous: (original: RGBImage, output: RGBImage)?

    public init() {}

    /// Adds one frame pair: the same frame before and after the swap, with the face's landmarks found on each (nil
    /// where none was found).
    public mutating func add(original: RGBImage, output: RGBImage, originalLandmarks: FaceLandmarks?,
                             outputLandmarks: FaceLandmarks?) {
        precondition(original.width == output.width && original.height == output.height, "frame sizes differ")
        frames += 1
        defer { previous = (original, output) }
        guard let originalLandmarks else { return }
        if let outputLandmarks {
            let a = HeadPose(landmarks: originalLandmarks), b = HeadPose(landmarks: outputLandmarks)
            pose.add(Double(abs(a.yaw - b.yaw) + abs(a.pitch - b.pitch) + abs(a.roll - b.roll)) / 3)
            if let m0 = Self.mouthOpening(originalLandmarks), let m1 = Self.mouthOpening(outputLandmarks) {
                mouth.append((m0, m1))
            }
        }
        guard let region = ReplacedRegion(original: original, output: output, landmarks: originalLandmarks) else { return }
        scored += 1
        let figures = FrameSeamFigures(region: region, original: original, output: output)
        seam.output += figures.seamOutput
        seam.original += figures.seamOriginal
        if let c = figures.colourExcess { colour.add(c) }
        detail.lost += figures.detailLost
        detail.original += figures.detailOriginal
        texture.output += figures.textureOutput
        texture.original += figures.textureOriginal
        if let previous { addFlicker(region: region, original: original, output: output, previous: previous) }
    }

    /// Mouth opening (inner lips 13–14) over the distance of the outer eye corners.
    static func mouthOpening(_ landmarks: FaceLandmarks) -> Double? {
        let p = landmarks.points2D
        guard p.count == FaceMeshTopology.pointCount else { return nil }
        func distance(_ a: Int, _ b: Int) -> Float { ((p[a] - p[b]) * (p[a] - p[b])).sum().squareRoot() }
        let eyes = distance(FaceMeshTopology.rightEyeOuter, FaceMeshTopology.leftEyeOuter)
        guard eyes > 1 else { return nil }
        return Double(distance(FaceMeshTopology.upperInnerLip, FaceMeshTopology.lowerInnerLip) / eyes)
    }

    private mutating func addFlicker(region r: ReplacedRegion, original: RGBImage, output: RGBImage,
                                     previous: (original: RGBImage, output: RGBImage)) {
        let o = ScorePlanes.change(original, previous.original, x: r.x0, y: r.y0, width: r.width, height: r.height)
        let s = ScorePlanes.change(output, previous.output, x: r.x0, y: r.y0, width: r.width, height: r.height)
        for i in r.inside.values.indices where r.inside.values[i] > 0.5 {
            flicker.original += Double(o.values[i])
            flicker.output += Double(s.values[i])
        }
    }

    /// The figures so far.
    public var score: SwapScore {
        var score = SwapScore(frames: frames, scoredFrames: scored)
        if seam.original > 0 { score.seamRatio = seam.output / seam.original }
        score.colourExcess = colour.mean
        if detail.original > 0 { score.detailsLost = detail.lost / detail.original }
        if texture.original > 0 { score.textureRatio = texture.output / texture.original }
        score.poseDifference = pose.mean
        if mouth.count >= 3 {
            let n = Double(mouth.count)
            let mx = mouth.map(\.original).reduce(0, +) / n, my = mouth.map(\.output).reduce(0, +) / n
            var sxx = 0.0, syy = 0.0, sxy = 0.0
            for (x, y) in mouth { sxx += (x - mx) * (x - mx); syy += (y - my) * (y - my); sxy += (x - mx) * (y - my) }
            // Gain as the reduced-major-axis slope sign(r)·σ_output/σ_original: both openings come from the same
            // noisy landmarker, and a least-squares slope would read the original's noise as lost motion.
            if sxx > 1e-9, syy > 1e-12 {
                score.mouthCorrelation = sxy / (sxx * syy).squareRoot()
                score.mouthGain = (sxy < 0 ? -1 : 1) * (syy / sxx).squareRoot()
            }
        }
        if flicker.original > 0 { score.flickerRatio = flicker.output / flicker.original }
        return score
    }
}
