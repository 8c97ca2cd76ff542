import ArgumentParser
import Foundation
import Neural
import Swap
import Train

/// `facelive train`: trains a face-swap model on two facesets.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a DeepFaceLab-style swap model (src = the new face, dst = the face to replace).")

    @Option(name: .customLong("src"), help: "Faceset of the identity to paint (folder with index.json).")
    var source: String?

    @Option(name: .customLong("dst"), help: "Faceset of the faces to replace.")
    var destination: String?

    @Option(name: .shortAndLong, help: "Model file to write (.safetensors).")
    var output: String?

    @Option(help: "Architecture: df or liae.")
    var arch: SwapArchitecture = .df

    @Option(help: "Size preset: live (~1 GFLOP/face) or quality.")
    var preset: SwapPreset = .live

    @Option(help: "Face resolution (64…256, multiple of 16); overrides the preset's.")
    var resolution: Int?

    @Option(help: "Faces per identity per iteration.")
    var batch = 8

    @Option(help: "Stop after this many iterations in total.")
    var iterations: Int?

    @Option(name: .customLong("time-limit"), help: "Stop after this long in this session, e.g. 90s, 20m, 2h.")
    var timeLimit: String?

    @Option(name: .customLong("learning-rate"), help: "Adam learning rate.")
    var learningRate: Float = 5e-5

    @Option(name: .customLong("preview-every"), help: "Write a preview grid every N iterations (0: never).")
    var previewEvery = 500

    @Option(name: .customLong("checkpoint-minutes"), help: "Checkpoint interval.")
    var checkpointMinutes: Double = 5

    @Option(help: "Threads (OpenBLAS and the trainer's own kernels).")
    var threads = 2

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: Precision.trainingHelp)
    var precision: Precision = .fp32

    @Option(name: .customLong("until-ssim"), help: ArgumentHelp(
        "Stop once the held-out reconstruction SSIM (src→src and dst→dst on faces kept out of training, measured every --preview-every) reaches this.",
        valueName: "0.01…0.99"))
    var untilSSIM: Double?

    @Option(help: "Ramp the learning rate up over this many iterations.")
    var warmup = 0

    @Option(name: .customLong("from"), help: "Start from this trained model's parts (see --keep) instead of random weights.")
    var from: String?

    @Option(help: ArgumentHelp("With --from: the parts to reuse, comma-separated.", valueName: "encoder,inter,decoder"))
    var keep = "encoder,inter,decoder"

    @Flag(name: .customLong("eyes-mouth-priority"), help: "Weight reconstruction errors on the eyes and mouth (sharper eyes, moving lips).")
    var eyesMouthPriority = false

    @Flag(help: "Continue training the model at --output.")
    var resume = false

    @Flag(name: .customLong("list-presets"), help: "Print the presets' shapes and FLOPs per face, then exit.")
    var listPresets = false

    func validate() throws {
        try OptionRange.check(batch, "--batch", TrainingOptions.batchRange)
        if let iterations { try OptionRange.check(iterations, "--iterations", 1...1_000_000_000) }
        try OptionRange.check(learningRate, "--learning-rate", TrainingOptions.learningRateRange)
        try OptionRange.check(previewEvery, "--preview-every", 0...1_000_000_000)
        try OptionRange.check(checkpointMinutes, "--checkpoint-minutes", 0.1...1440, unit: " min")
        try OptionRange.check(threads, "--threads", 1...256)
        if let untilSSIM {
            try OptionRange.check(untilSSIM, "--until-ssim", TrainingOptions.ssimTargetRange)
            guard previewEvery > 0 else { throw ValidationError("--until-ssim needs --preview-every above 0 (the held-out SSIM is measured then)") }
        }
        try OptionRange.check(warmup, "--warmup", TrainingOptions.warmupRange)
        _ = try keptParts()
        if from != nil && resume { throw ValidationError("--from starts a new model; it cannot be combined with --resume") }
    }

    /// `--keep` parsed.
    func keptParts() throws -> Set<ModelPart> {
        var parts = Set<ModelPart>()
        for name in keep.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let part = ModelPart(rawValue: trimmed) else {
                throw ValidationError("--keep takes encoder, inter and decoder, comma-separated (got '\(trimmed)')")
            }
            parts.insert(part)
        }
        return parts
    }

    func run() throws {
        if listPresets {
            for preset in SwapPreset.allCases {
                for arch in SwapArchitecture.allCases {
                    let c = SwapModelConfig.preset(preset, architecture: arch)
                    try Terminal.printOutput(String(format: "%-8@ %-5@ %4d px  ae %d e %d d %d dm %d%@  %.2f GFLOP/face", preset.rawValue, arch.rawValue,
                                 c.resolution, c.aeDims, c.eDims, c.dDims, c.dMaskDims, c.residualBlocks ? " +res" : "",
                                 Double(SwapModelInfo.flopsPerFace(c)) / 1e9))
                }
            }
            return
        }
        guard let source, let destination, let output else {
            throw ValidationError("--src, --dst and -o are required")
        }
        var config = SwapModelConfig.preset(preset, architecture: arch)
        if let resolution {
            guard (64...256).contains(resolution), resolution % 16 == 0 else {
                throw ValidationError("--resolution must be a multiple of 16 in 64…256")
            }
            config.resolution = resolution
        }
        var options = TrainingOptions(source: URL(fileURLWithPath: source), destination: URL(fileURLWithPath: destination),
                                      output: URL(fileURLWithPath: output), config: config)
        options.batch = batch
        options.iterations = iterations
        options.timeLimit = try timeLimit.map(Self.parseDuration)
        options.resume = resume
        options.seed = seed
        options.learningRate = learningRate
        options.previewEvery = previewEvery
        options.checkpointSeconds = checkpointMinutes * 60
        options.threads = threads
        options.precision = precision
        options.untilSSIM = untilSSIM
        options.warmupIterations = warmup
        options.eyesMouthPriority = eyesMouthPriority
        if let from { options.reuse = ModelReuse(model: URL(fileURLWithPath: from), parts: try keptParts()) }

        let trainer = try Trainer(options: options)
        let c = trainer.config
        Terminal.printError(String(format: "%@ %d px, %.2f M parameters, %.2f GFLOP/face; batch %d; starting at iteration %d",
                                   c.architecture.rawValue, c.resolution, Double(trainer.parameterCount) / 1e6,
                                   Double(trainer.inferenceFLOPs) / 1e9, batch, trainer.iteration))
        let stop = StopRequest()
        let trap = SignalTrap { _ in stop.request() }
        let interactive = Terminal.isInteractive
        var lastLine = Date.distantPast
        let final: TrainingProgress
        do {
            final = try trainer.run(stop: stop) { p in
                var line = String(format: "iter %d  src %.4f  dst %.4f  %.2f it/s  elapsed %@%@", p.iteration, p.losses.src,
                                  p.losses.dst, p.iterationsPerSecond, Terminal.formatSeconds(p.elapsedSeconds),
                                  p.remainingSeconds.map { "  ETA " + Terminal.formatSeconds($0) } ?? "")
                if let score = p.heldOut { line += String(format: "  held-out SSIM src %.3f dst %.3f", score.src, score.dst) }
                if let untilSSIM {
                    line += String(format: "  → %.2f ", untilSSIM)
                        + (p.secondsToTarget.map { "in ~" + Terminal.formatSeconds($0) } ?? "ETA ?")
                }
                if interactive {
                    Terminal.rewriteLine(line)
                } else if Date().timeIntervalSince(lastLine) >= 30 {
                    Terminal.printError(line)
                    lastLine = Date()
                }
            }
        } catch {
            if interactive { Terminal.printError("") }  // end the progress line
            throw error
        }
        withExtendedLifetime(trap) {}
        if interactive { Terminal.printError("") }
        if final.elapsedSeconds == 0 {
            Terminal.printError("saved \(output) at iteration \(final.iteration) (no iterations run: --iterations counts from the start)")
        } else {
            Terminal.printError(String(format: "saved %@ at iteration %d (src %.4f, dst %.4f)", output, final.iteration,
                                       final.losses.src, final.losses.dst))
        }
    }

    /// `90`, `90s`, `20m`, `2h`, `1h30m` → seconds.
    static func parseDuration(_ text: String) throws -> Double {
        var total = 0.0, number = ""
        for ch in text {
            if ch.isNumber || ch == "." { number.append(ch); continue }
            guard let value = Double(number) else { throw ValidationError("bad duration '\(text)'") }
            switch ch {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: throw ValidationError("bad duration '\(text)' (use s, m, h)")
            }
            number = ""
        }
        if !number.isEmpty {
            guard let value = Double(number) else { throw ValidationError("bad duration '\(text)'") }
            total += value
        }
        guard total > 0 else { throw ValidationError("bad duration '\(text)'") }
        return total
    }
}

extension SwapArchitecture: ExpressibleByArgument {}
extension SwapPreset: ExpressibleByArgument {}
