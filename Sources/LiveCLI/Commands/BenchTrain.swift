import ArgumentParser
import Foundation
import Neural
import Swap
import Train

/// `facelive bench-train`: training and inference speed on synthetic faces (used by scripts/bench_train.py).
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-train", abstract: "Time training iterations and single-face inference of a swap model preset.")

    @Option(help: "Architecture: df or liae.") var arch = "df"
    @Option(help: "Preset: live or quality.") var preset = "live"
    @Option(help: "Faces per identity per iteration.") var batch = 8
    @Option(help: "Timed iterations.") var iterations = 10
    @Option(help: "Threads.") var threads = 2
    @Option(help: Precision.trainingHelp) var precision: Precision = .fp32

    func validate() throws {
        try OptionRange.check(batch, "--batch", TrainingOptions.batchRange)
        try OptionRange.check(iterations, "--iterations", 1...100_000)
        try OptionRange.check(threads, "--threads", 1...256)
    }

    func run() throws {
        guard let architecture = SwapArchitecture(rawValue: arch), let p = SwapPreset(rawValue: preset) else {
            throw ValidationError("--arch df|liae, --preset live|quality")
        }
        NeuralRuntime.setBLASThreadCount(threads)
        let config = SwapModelConfig.preset(p, architecture: architecture)
        let result = try TrainingBenchmark.run(config: config, batch: batch, iterations: iterations, threads: threads,
                                                precision: precision)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Terminal.printOutput(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
