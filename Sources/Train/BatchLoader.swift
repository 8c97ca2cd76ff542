import Foundation

/// One training batch: `batch` source faces, then `batch` destination faces.
struct TrainingBatch: Sendable {
    let iteration: Int
    /// Warped inputs, `2·batch × R² × 3`.
    var input: [Float]
    /// Unwarped targets, same layout.
    var target: [Float]
    /// Target masks, `2·batch × R²`.
    var mask: [Float]
    /// Targets' eyes-and-mouth masks, same layout.
    var priority: [Float]

    /// The batch of `iteration`: every random choice comes from `(seed, iteration)`, so a resumed run sees the same
    /// batches as an uninterrupted one whatever the loader thread had prepared ahead.
    init(iteration: Int, data: TrainingData, batch: Int, seed: UInt64, augmentation: AugmentationSettings) {
        var random = RandomSource(seed: seed, stream: UInt64(iteration))
        self.init(iteration: iteration, data: data, batch: batch, augmentation: augmentation) { set, _ in
            Int(random.next() % UInt64(set.count))
        } random: { body in body(&random) }
    }

    /// A fixed, unaugmented batch of faces spread evenly through each set (previews).
    static func preview(data: TrainingData, batch: Int) -> TrainingBatch {
        TrainingBatch(iteration: 0, data: data, batch: batch, augmentation: .none) { set, i in
            i * set.count / batch
        } random: { body in var r = RandomSource(seed: 0); body(&r) }
    }

    /// Every face of `data` in order, repeated to fill `batch` (held-out evaluation; unaugmented).
    static func cycling(data: TrainingData, batch: Int) -> TrainingBatch {
        TrainingBatch(iteration: 0, data: data, batch: batch, augmentation: .none) { set, i in
            i % set.count
        } random: { body in var r = RandomSource(seed: 0); body(&r) }
    }

    private init(iteration: Int, data: TrainingData, batch: Int, augmentation: AugmentationSettings,
                 pick: (_ set: [FaceSample], _ index: Int) -> Int,
                 random: ((inout RandomSource) -> Void) -> Void) {
        self.iteration = iteration
        let r2 = data.resolution * data.resolution
        input = [Float](repeating: 0, count: 2 * batch * r2 * 3)
        target = input
        mask = [Float](repeating: 0, count: 2 * batch * r2)
        priority = mask
        let augmenter = FaceAugmenter(settings: augmentation, resolution: data.resolution)
        for s in 0..<(2 * batch) {
            let isSource = s < batch
            let set = isSource ? data.source : data.destination
            let face = set[pick(set, s % batch)]
            let reference = isSource && augmentation.colourTransfer ? data.destination[pick(data.destination, s)] : nil
            input.withUnsafeMutableBufferPointer { inp in
                target.withUnsafeMutableBufferPointer { tgt in
                    mask.withUnsafeMutableBufferPointer { msk in
                        priority.withUnsafeMutableBufferPointer { pri in
                            random { rng in
                                augmenter.render(face, colourReference: reference, random: &rng,
                                                 input: inp.baseAddress! + s * r2 * 3, target: tgt.baseAddress! + s * r2 * 3,
                                                 mask: msk.baseAddress! + s * r2, priority: pri.baseAddress! + s * r2)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Prepares upcoming batches on its own thread while the trainer (and OpenBLAS) work on the current one.
final class BatchLoader: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [TrainingBatch] = []
    private var stopped = false
    private let depth: Int

    init(data: TrainingData, batch: Int, seed: UInt64, augmentation: AugmentationSettings, startIteration: Int, depth: Int = 2) {
        self.depth = depth
        let thread = Thread { [self] in
            var iteration = startIteration
            while true {
                let next = TrainingBatch(iteration: iteration, data: data, batch: batch, seed: seed, augmentation: augmentation)
                condition.lock()
                while ready.count >= depth && !stopped { condition.wait() }
                if stopped { condition.unlock(); return }
                ready.append(next)
                condition.broadcast()
                condition.unlock()
                iteration += 1
            }
        }
        thread.name = "facelive.batch-loader"
        thread.start()
    }

    /// The next batch in iteration order (waits for it).
    func next() -> TrainingBatch {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty { condition.wait() }
        let batch = ready.removeFirst()
        condition.broadcast()
        return batch
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    deinit { stop() }
}
