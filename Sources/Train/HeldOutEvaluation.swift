import Foundation

/// How well the model reconstructs faces it was not trained on: the mean SSIM (0…1, 1 = identical) of
/// `src → src` and `dst → dst` over the held-out faces, inside the face mask, averaged over RGB.
public struct ReconstructionScore: Sendable, Equatable {
    public var src: Double
    public var dst: Double
    /// The weaker of the two: what a target figure is checked against.
    public var worst: Double { min(src, dst) }
}

/// Faces kept out of training to measure reconstruction on: a few evenly spread through each faceset.
enum HeldOutFaces {
    /// How many of `count` faces are held out: one in five, at most four, none below five faces.
    static func count(of total: Int) -> Int { total < 5 ? 0 : min(4, total / 5) }

    /// Splits `samples` into the faces to train on and those held out (evenly spaced through the set, which is in
    /// video order, so they come from across the clip).
    static func split(_ samples: [FaceSample]) -> (training: [FaceSample], heldOut: [FaceSample]) {
        let held = count(of: samples.count)
        guard held > 0 else { return (samples, []) }
        let step = samples.count / held
        let indices = Set((0..<held).map { $0 * step + step / 2 })
        var training: [FaceSample] = [], heldOut: [FaceSample] = []
        for (i, sample) in samples.enumerated() {
            if indices.contains(i) { heldOut.append(sample) } else { training.append(sample) }
        }
        return (training, heldOut)
    }
}

/// SSIM of reconstructions against their targets, masked like the loss (`t·m` against `p·m`).
struct ReconstructionSSIM {
    let resolution: Int
    private var dssim: DSSIM
    private var maskedTarget: [Float]
    private var maskedFace: [Float]

    init(resolution: Int) {
        self.resolution = resolution
        dssim = DSSIM(size: resolution, windowSize: DSSIM.windowSize(forResolution: resolution))
        maskedTarget = [Float](repeating: 0, count: resolution * resolution * 3)
        maskedFace = maskedTarget
    }

    /// Mean SSIM over RGB of one face (`resolution² × 3`) against its target, inside `mask` (`resolution²`).
    mutating func ssim(face: UnsafePointer<Float>, target: UnsafePointer<Float>, mask: UnsafePointer<Float>) -> Double {
        let r2 = resolution * resolution
        for p in 0..<r2 {
            for c in 0..<3 {
                maskedTarget[p * 3 + c] = target[p * 3 + c] * mask[p]
                maskedFace[p * 3 + c] = face[p * 3 + c] * mask[p]
            }
        }
        var total = 0.0
        maskedTarget.withUnsafeBufferPointer { t in
            maskedFace.withUnsafeBufferPointer { f in
                for c in 0..<3 {
                    total += 1 - 2 * dssim.evaluate(x: t.baseAddress! + c, y: f.baseAddress! + c, stride: 3, scale: 0,
                                                    gradient: nil)
                }
            }
        }
        return total / 3
    }
}

/// The held-out figure's recent course, for an estimate of when it reaches a target.
struct ScoreTrend {
    private var history: [(iteration: Int, score: Double)] = []
    /// Evaluations the slope is taken over.
    static let window = 4

    mutating func record(iteration: Int, score: Double) {
        history.append((iteration, score))
        if history.count > Self.window { history.removeFirst() }
    }

    /// Iterations until the score reaches `target` at the recent rate of improvement; 0 when reached, nil when it
    /// is not improving or there is too little history.
    func iterationsToReach(_ target: Double) -> Double? {
        guard let last = history.last else { return nil }
        if last.score >= target { return 0 }
        guard let first = history.first, last.iteration > first.iteration else { return nil }
        let slope = (last.score - first.score) / Double(last.iteration - first.iteration)
        return slope > 0 ? (target - last.score) / slope : nil
    }
}
