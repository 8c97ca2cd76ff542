import Foundation
import Neural
import Stream
import Swap

/// Trains a swap model: loads both facesets, builds (or resumes) the model, and runs iterations of
/// forward → loss → backward → Adam on batches a loader thread prepares, checkpointing as it goes.
public final class Trainer {
    public let options: TrainingOptions
    public var config: SwapModelConfig { options.config }
    public private(set) var iteration = 0
    let model: any SwapTrainingModel
    let optimizer: AdamOptimizer
    /// The second thread of a step's two-way loops, kept awake between them (two threads only).
    private let workers: WorkerPair?
    private let loss: SwapLoss
    private let data: TrainingData
    private var loader: BatchLoader?
    private var lossLog: ByteWriter?
    /// A failed loss-log write, reported at the next checkpoint (``step()`` does not throw).
    private var lossLogFailure: StreamError?
    /// The latest held-out reconstruction figure (every `previewEvery` iterations, with held-out faces).
    public private(set) var heldOutScore: ReconstructionScore?
    private var scoreTrend = ScoreTrend()
    private var scorer: ReconstructionSSIM

    /// Loads the facesets and builds or resumes the model.
    public convenience init(options: TrainingOptions) throws(TrainError) {
        var options = options
        if options.resume {
            let file = try SafetensorsFile.read(options.output)
            do { options.config = try SwapModelFile.config(of: file) } catch { throw .model(error) }
            options.seed = TrainingState.seed(at: options.statePath) ?? options.seed
        }
        let data = try TrainingData(source: options.source, destination: options.destination, resolution: options.config.resolution)
        if let alignment = data.alignment {
            if options.resume, alignment != options.config.alignment {
                throw .invalidConfiguration("the facesets were cut differently from the model's training crops ("
                    + options.config.alignment.differences(from: alignment).joined(separator: ", ")
                    + "): resume with facesets extracted the same way")
            }
            // The model crops faces at run time exactly as these facesets were cut.
            options.config.alignment = alignment
        }
        try self.init(options: options, data: data)
    }

    init(options: TrainingOptions, data: TrainingData) throws(TrainError) {
        do { try options.config.validate() } catch { throw .model(error) }
        try options.validate()
        if options.untilSSIM != nil, !data.hasHeldOut {
            throw .invalidConfiguration("an SSIM target needs faces held out of training: give each faceset at least 5 faces")
        }
        self.options = options
        self.data = data
        scorer = ReconstructionSSIM(resolution: options.config.resolution)
        // OpenBLAS runs only the small dense layers of a step (the convolutions are on the packed kernels, split
        // over `threads` by the layers themselves); with more threads its idle workers spin on `sched_yield` after
        // every call and take the cores from the next layer's threads.
        NeuralRuntime.setBLASThreadCount(1)
        workers = options.threads == 2 ? WorkerPair() : nil
        model = makeTrainingModel(options.config, batch: options.batch, threads: options.threads, precision: options.precision)
        optimizer = AdamOptimizer(parameters: model.parameters, settings: .init(learningRate: options.learningRate))
        loss = SwapLoss(resolution: options.config.resolution, batch: options.batch, threads: options.threads,
                        priorityWeight: options.eyesMouthPriority ? SwapLoss.eyesAndMouthWeight : 0)
        let fm = FileManager.default
        if options.resume {
            let file = try SafetensorsFile.read(options.output)
            try SwapModelFile.load(model.parameters, from: file)
            iteration = try TrainingState.restore(into: optimizer, options: options)
        } else {
            guard !fm.fileExists(atPath: options.output.path) else { throw .outputExists(path: options.output.path) }
            model.initialize(seed: options.seed)
            try options.reuse?.apply(to: model.parameters, config: options.config)
        }
        try openLossLog()
    }

    deinit { loader?.stop() }

    /// Forward FLOPs of one face through the swap path.
    public var inferenceFLOPs: Int { model.inferenceFLOPs }
    public var parameterCount: Int { model.parameters.reduce(0) { $0 + $1.count } }

    /// One iteration on the next prepared batch; returns its losses.
    @discardableResult
    public func step() -> LossValues {
        if loader == nil {
            loader = BatchLoader(data: data, batch: options.batch, seed: options.seed, augmentation: options.augmentation,
                                 startIteration: iteration)
        }
        let batch = loader!.next()
        precondition(batch.iteration == iteration, "loader out of step")
        let losses = train(on: batch)
        iteration += 1
        var line = String(format: "%d,%.6f,%.6f", iteration, losses.src, losses.dst)
        if options.previewEvery > 0 && iteration % options.previewEvery == 0, let score = evaluateHeldOut() {
            heldOutScore = score
            scoreTrend.record(iteration: iteration, score: score.worst)
            line += String(format: ",%.4f,%.4f", score.src, score.dst)
        } else {
            line += ",,"
        }
        line += "\n"
        do throws(StreamError) { try lossLog?.write(line) } catch {
            lossLogFailure = error
            lossLog = nil
        }
        return losses
    }

    func train(on batch: TrainingBatch) -> LossValues {
        guard let workers else { return trainStep(on: batch) }
        return workers.withInstalled { trainStep(on: batch) }
    }

    private func trainStep(on batch: TrainingBatch) -> LossValues {
        let reconstruction = batch.input.withUnsafeBufferPointer { model.forward($0.baseAddress!) }
        let losses = batch.priority.withUnsafeBufferPointer { priority in
            loss.evaluate(reconstruction, target: batch.target, mask: batch.mask, priority: priority.baseAddress)
        }
        model.backward(faceGradient: loss.faceGradient.baseAddress, maskGradient: loss.maskGradient.baseAddress)
        optimizer.update(threads: options.threads, learningRateScale: learningRateScale)
        return losses
    }

    /// The warm-up's share of the learning rate for the step about to be taken: `(i + 1) / warmup`, then 1.
    var learningRateScale: Float {
        options.warmupIterations > 0 ? min(1, Float(iteration + 1) / Float(options.warmupIterations)) : 1
    }

    /// SSIM of the held-out faces' reconstructions (nil without held-out faces). Runs the model forward only: the
    /// parameters, the optimiser and the batch stream are untouched, so resuming stays exact.
    func evaluateHeldOut() -> ReconstructionScore? {
        guard data.hasHeldOut else { return nil }
        let n = options.batch, r2 = config.resolution * config.resolution
        let held = data.heldOut
        let batch = TrainingBatch.cycling(data: held, batch: n)
        let rec = batch.input.withUnsafeBufferPointer { model.forward($0.baseAddress!) }
        func mean(_ faces: UnsafePointer<Float>, count: Int, offset: Int) -> Double {
            batch.target.withUnsafeBufferPointer { target in
                batch.mask.withUnsafeBufferPointer { mask in
                    (0..<count).reduce(0.0) { sum, i in
                        sum + scorer.ssim(face: faces + i * r2 * 3, target: target.baseAddress! + (offset + i) * r2 * 3,
                                          mask: mask.baseAddress! + (offset + i) * r2)
                    } / Double(count)
                }
            }
        }
        return ReconstructionScore(src: mean(rec.srcFace, count: min(n, held.source.count), offset: 0),
                                   dst: mean(rec.dstFace, count: min(n, held.destination.count), offset: n))
    }

    /// Trains until the iteration or time limit, or until `stop` is requested; checkpoints periodically and at
    /// the end; calls `report` after every iteration.
    public func run(stop: StopRequest, report: (TrainingProgress) -> Void) throws(TrainError) -> TrainingProgress {
        let start = Date()
        let startIteration = iteration
        var lastCheckpoint = Date()
        var losses = LossValues(src: 0, dst: 0)
        var progress = TrainingProgress(iteration: iteration, losses: losses, iterationsPerSecond: 0, elapsedSeconds: 0)
        while !stop.isRequested {
            if let limit = options.iterations, iteration >= limit { break }
            let elapsed = Date().timeIntervalSince(start)
            if let limit = options.timeLimit, elapsed >= limit { break }
            losses = step()
            guard losses.src.isFinite, losses.dst.isFinite else { throw .diverged(iteration: iteration) }
            let seconds = Date().timeIntervalSince(start)
            let rate = Double(iteration - startIteration) / max(seconds, 1e-9)
            var remaining: Double?
            if let limit = options.iterations { remaining = Double(limit - iteration) / rate }
            if let limit = options.timeLimit { remaining = min(remaining ?? .infinity, limit - seconds) }
            progress = TrainingProgress(iteration: iteration, losses: losses, iterationsPerSecond: rate,
                                        remainingSeconds: remaining, elapsedSeconds: seconds, heldOut: heldOutScore)
            if let target = options.untilSSIM {
                progress.secondsToTarget = scoreTrend.iterationsToReach(target).map { $0 / max(rate, 1e-9) }
            }
            report(progress)
            if let target = options.untilSSIM, let score = heldOutScore, score.worst >= target { break }
            if options.previewEvery > 0 && iteration % options.previewEvery == 0 { try writePreview() }
            if Date().timeIntervalSince(lastCheckpoint) >= options.checkpointSeconds {
                try saveCheckpoint()
                lastCheckpoint = Date()
            }
        }
        try saveCheckpoint()
        return progress
    }

    /// Writes the model (fp32) and the training state.
    public func saveCheckpoint() throws(TrainError) {
        if let lossLogFailure { throw .writeFailed(path: options.lossLogPath.path, reason: lossLogFailure.reason) }
        try SwapModelFile.write(config: config, parameters: model.parameters, to: options.output)
        try TrainingState.write(optimizer: optimizer, iteration: iteration, options: options)
    }

    /// Renders the preview grid (up to four rows) to `<stem>_previews/preview_<iteration>.png`; returns its path.
    @discardableResult
    public func writePreview() throws(TrainError) -> URL {
        let image = preview()
        let directory = options.previewDirectory
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(String(format: "preview_%07d.png", iteration))
        do { try PNGEncoder.write(image, to: url.path) } catch {
            throw .unreadableFile(path: url.path, reason: "write failed: \(error)")
        }
        return url
    }

    /// The preview grid for fixed, unaugmented faces.
    func preview() -> RGBImage {
        let n = options.batch, r = config.resolution, tile = r * r * 3
        let batch = TrainingBatch.preview(data: data, batch: n)
        let rec = batch.input.withUnsafeBufferPointer { model.forward($0.baseAddress!) }
        let srcRec = Array(UnsafeBufferPointer(start: rec.srcFace, count: n * tile))
        let dstRec = Array(UnsafeBufferPointer(start: rec.dstFace, count: n * tile))
        let swapped = Array(UnsafeBufferPointer(start: model.swapDestination().face, count: n * tile))
        return batch.target.withUnsafeBufferPointer { target in
            srcRec.withUnsafeBufferPointer { sr in
                dstRec.withUnsafeBufferPointer { dr in
                    swapped.withUnsafeBufferPointer { sw in
                        PreviewGrid.render(resolution: r, rows: min(4, n), columns: [
                            { target.baseAddress! + $0 * tile }, { sr.baseAddress! + $0 * tile },
                            { target.baseAddress! + (n + $0) * tile }, { dr.baseAddress! + $0 * tile },
                            { sw.baseAddress! + $0 * tile },
                        ])
                    }
                }
            }
        }
    }

    /// Opens the loss CSV, dropping rows past the resumed iteration (written after the last checkpoint).
    private func openLossLog() throws(TrainError) {
        let path = options.lossLogPath
        var text = "iteration,src_loss,dst_loss,src_ssim,dst_ssim\n"
        if options.resume, let existing = try? String(contentsOf: path, encoding: .utf8) {
            let kept = existing.split(separator: "\n").dropFirst().filter { line in
                line.split(separator: ",").first.flatMap { Int($0) }.map { $0 <= iteration } ?? false
            }
            text += kept.map { $0 + "\n" }.joined()
        }
        do throws(StreamError) {
            let log = try ByteWriter(creating: path.path)
            try log.write(text)
            lossLog = log
        } catch {
            throw .writeFailed(path: path.path, reason: error.reason)
        }
    }
}
