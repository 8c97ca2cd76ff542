import Neural
/// Losses of one step, each the mean over its identity's samples.
public struct LossValues: Sendable, Equatable {
    public var src: Double
    public var dst: Double
    public var total: Double { src + dst }
}

/// DeepFaceLab's SAEHD reconstruction loss per sample, with target mask `m`:
/// `10·DSSIM(t·m, p·m) + 10·mean((t·m − p·m)²) + 10·mean((m − p_mask)²)`, averaged over each identity's batch;
/// with eyes-and-mouth priority (mask `e`) also `300·mean(|t·e − p·e|)`, as DeepFaceLab's `eyes_mouth_prio`.
final class SwapLoss {
    static let weight: Float = 10
    static let eyesAndMouthWeight: Float = 300
    let resolution: Int
    let batch: Int
    let faceGradient: AlignedBuffer
    let maskGradient: AlignedBuffer
    private let workers: [SampleLoss]

    /// The eyes-and-mouth term's weight (0: off).
    let priorityWeight: Float

    init(resolution: Int, batch: Int, threads: Int, priorityWeight: Float = 0) {
        self.resolution = resolution
        self.batch = batch
        self.priorityWeight = priorityWeight
        faceGradient = AlignedBuffer(count: 2 * batch * resolution * resolution * 3)
        maskGradient = AlignedBuffer(count: 2 * batch * resolution * resolution)
        workers = (0..<max(1, threads)).map { _ in SampleLoss(resolution: resolution) }
    }

    /// Evaluates the loss of `reconstruction` against `target` faces and `mask`s (`2·batch` each, source first) and
    /// leaves dL/dFace, dL/dMask in ``faceGradient`` and ``maskGradient``.
    func evaluate(_ reconstruction: Reconstruction, target: UnsafePointer<Float>, mask: UnsafePointer<Float>,
                  priority: UnsafePointer<Float>? = nil) -> LossValues {
        let r2 = resolution * resolution, n = batch
        let faceGrad = faceGradient.baseAddress, maskGrad = maskGradient.baseAddress
        var perSample = [Double](repeating: 0, count: 2 * n)
        perSample.withUnsafeMutableBufferPointer { results in
            let out = results.baseAddress!
            forEachSlice(workers.count, threads: workers.count) { w in
                for s in stride(from: w, to: 2 * n, by: workers.count) {
                    let isSrc = s < n, i = isSrc ? s : s - n
                    out[s] = workers[w].evaluate(
                        face: (isSrc ? reconstruction.srcFace : reconstruction.dstFace) + i * r2 * 3,
                        predictedMask: (isSrc ? reconstruction.srcMask : reconstruction.dstMask) + i * r2,
                        target: target + s * r2 * 3, mask: mask + s * r2, scale: 1 / Float(n),
                        faceGradient: faceGrad + s * r2 * 3, maskGradient: maskGrad + s * r2,
                        priority: priorityWeight > 0 ? priority.map { $0 + s * r2 } : nil, priorityWeight: priorityWeight)
                }
            }
        }
        // Each sample's value is already scaled by 1/batch.
        return LossValues(src: perSample[..<n].reduce(0, +), dst: perSample[n...].reduce(0, +))
    }
}

/// One sample's loss and gradient; owns its scratch, so workers can run in parallel.
final class SampleLoss {
    let resolution: Int
    private var dssim: DSSIM
    // Buffers, not arrays: a class's array elements are exclusivity-checked on every access (measured ≈ 2 % of a
    // `live` step).
    private let maskedTarget: AlignedBuffer
    private let maskedFace: AlignedBuffer
    private let maskedGradient: AlignedBuffer

    init(resolution: Int) {
        self.resolution = resolution
        dssim = DSSIM(size: resolution, windowSize: DSSIM.windowSize(forResolution: resolution))
        let count = resolution * resolution * 3
        maskedTarget = AlignedBuffer(count: count)
        maskedFace = AlignedBuffer(count: count)
        maskedGradient = AlignedBuffer(count: count)
    }

    /// The loss times `scale`; writes `scale·∂L/∂face` and `scale·∂L/∂mask`.
    func evaluate(face: UnsafePointer<Float>, predictedMask: UnsafePointer<Float>, target: UnsafePointer<Float>,
                  mask: UnsafePointer<Float>, scale: Float,
                  faceGradient: UnsafeMutablePointer<Float>, maskGradient: UnsafeMutablePointer<Float>,
                  priority: UnsafePointer<Float>? = nil, priorityWeight: Float = 0) -> Double {
        let r2 = resolution * resolution, w = SwapLoss.weight
        let maskedTarget = maskedTarget.baseAddress, maskedFace = maskedFace.baseAddress
        let maskedGradient = maskedGradient.baseAddress
        for p in 0..<r2 {
            for c in 0..<3 {
                maskedTarget[p * 3 + c] = target[p * 3 + c] * mask[p]
                maskedFace[p * 3 + c] = face[p * 3 + c] * mask[p]
                maskedGradient[p * 3 + c] = 0
            }
        }
        var structural = 0.0
        for c in 0..<3 {
            structural += dssim.evaluate(x: maskedTarget + c, y: maskedFace + c, stride: 3, scale: w * scale / 3,
                                         gradient: maskedGradient + c)
        }
        var squared = 0.0, maskSquared = 0.0
        let faceScale = 2 * w * scale / Float(r2 * 3), maskScale = 2 * w * scale / Float(r2)
        for p in 0..<r2 {
            for c in 0..<3 {
                let d = maskedFace[p * 3 + c] - maskedTarget[p * 3 + c]
                squared += Double(d * d)
                faceGradient[p * 3 + c] = (maskedGradient[p * 3 + c] + faceScale * d) * mask[p]
            }
            let dm = predictedMask[p] - mask[p]
            maskSquared += Double(dm * dm)
            maskGradient[p] = maskScale * dm
        }
        var loss = Double(w) * (structural / 3 + squared / Double(r2 * 3) + maskSquared / Double(r2))
        if let priority {
            // L1 on the eyes and mouth: d/dp |p·e − t·e| = sign(p − t)·e.
            var absolute = 0.0
            let g = priorityWeight * scale / Float(r2 * 3)
            for p in 0..<r2 where priority[p] > 0 {
                for c in 0..<3 {
                    let d = (face[p * 3 + c] - target[p * 3 + c]) * priority[p]
                    absolute += Double(abs(d))
                    faceGradient[p * 3 + c] += d > 0 ? g * priority[p] : d < 0 ? -g * priority[p] : 0
                }
            }
            loss += Double(priorityWeight) * absolute / Double(r2 * 3)
        }
        return loss * Double(scale)
    }
}
