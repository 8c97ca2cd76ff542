import Foundation
import Neural
import Stream
import Swap

/// Measures training and inference speed on synthetic faces (no facesets, no disk), for `scripts/bench_train.py`.
public enum TrainingBenchmark {
    public struct Result: Sendable, Codable {
        public var secondsPerIteration: Double
        /// CPU time (user + system, all threads) per timed iteration: steadier than the wall time on a shared machine.
        public var cpuSecondsPerIteration: Double
        public var inferenceMillisecondsPerFace: Double
        public var flopsPerFace: Int
        public var parameters: Int
    }

    /// Times `iterations` training steps (after `warmup`) on one fixed random batch of `batch` faces per identity,
    /// then single-face inference; best of the per-step times is not used — the mean is.
    public static func run(config: SwapModelConfig, batch: Int, iterations: Int, warmup: Int = 2, threads: Int,
                           precision: Precision = .fp32) throws -> Result {
        var random = RandomSource(seed: 3)
        let r = config.resolution
        func face() -> FaceSample {
            var image = RGBImageBuffer(size: r)
            for i in 0..<image.pixels.count { image.pixels[i] = UInt8(truncatingIfNeeded: random.next()) }
            return FaceSample(crop: image.image, landmarks: [], resolution: r)
        }
        let data = TrainingData(source: (0..<batch).map { _ in face() }, destination: (0..<batch).map { _ in face() })
        var options = TrainingOptions(source: URL(fileURLWithPath: "/dev/null"), destination: URL(fileURLWithPath: "/dev/null"),
                                      output: URL(fileURLWithPath: NSTemporaryDirectory() + "/facelive-bench-\(UUID().uuidString).safetensors"),
                                      config: config)
        options.batch = batch
        options.threads = threads
        options.precision = precision
        defer { try? FileManager.default.removeItem(at: options.lossLogPath) }
        let trainer = try Trainer(options: options, data: data)
        let fixed = TrainingBatch(iteration: 0, data: data, batch: batch, seed: 1, augmentation: AugmentationSettings())
        var perIteration = 0.0, cpuPerIteration = 0.0
        if iterations > 0 {
            for _ in 0..<warmup { _ = trainer.train(on: fixed) }
            let start = Date(), cpuStart = ResourceUsage.now().cpuSeconds
            for _ in 0..<iterations { _ = trainer.train(on: fixed) }
            perIteration = Date().timeIntervalSince(start) / Double(iterations)
            cpuPerIteration = (ResourceUsage.now().cpuSeconds - cpuStart) / Double(iterations)
        }

        // Inference runs the runtime's graph, whose GEMMs take OpenBLAS's thread count (the trainer set it to 1).
        NeuralRuntime.setBLASThreadCount(threads)
        let file = SwapModelFile.contents(config: config, parameters: trainer.model.parameters)
        let model = try TrainedSwapModel(file: file)
        let input = Array(fixed.input.prefix(r * r * 3))
        let runs = 100
        let millis = input.withUnsafeBufferPointer { p -> Double in
            for _ in 0..<3 { _ = model.swap(p.baseAddress!) }
            let t = Date()
            for _ in 0..<runs { _ = model.swap(p.baseAddress!) }
            return Date().timeIntervalSince(t) * 1000 / Double(runs)
        }
        return Result(secondsPerIteration: perIteration, cpuSecondsPerIteration: cpuPerIteration,
                      inferenceMillisecondsPerFace: millis,
                      flopsPerFace: model.flopsPerFace, parameters: trainer.parameterCount)
    }
}

/// A square RGB8 scratch image.
private struct RGBImageBuffer {
    var pixels: [UInt8]
    let size: Int
    init(size: Int) { self.size = size; pixels = [UInt8](repeating: 0, count: size * size * 3) }
    var image: RGBImage { RGBImage(width: size, height: size, pixels: pixels) }
}
