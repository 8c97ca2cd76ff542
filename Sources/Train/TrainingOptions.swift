import Foundation
import Neural
import Swap

/// What `facelive train` asks of a ``Trainer``.
public struct TrainingOptions: Sendable {
    public var source: URL
    public var destination: URL
    /// The model file; `<stem>.state`, `<stem>.losses.csv` and `<stem>_previews/` go beside it.
    public var output: URL
    public var config: SwapModelConfig
    /// Faces per identity per iteration.
    public var batch = 8
    /// Stop when this many iterations are done in total (nil: no limit).
    public var iterations: Int?
    /// Stop after this many seconds in this session (nil: no limit).
    public var timeLimit: Double?
    public var resume = false
    public var seed: UInt64 = 1
    public var learningRate: Float = 5e-5
    /// Write a preview grid every this many iterations (0: never).
    public var previewEvery = 500
    public var checkpointSeconds: Double = 300
    public var threads = 2
    /// bf16 products with fp32 sums and fp32 master weights in the convolutions (fp32 on CPUs without
    /// AVX512_BF16); the model file and optimiser state stay fp32.
    public var precision: Precision = .fp32
    /// Stop once both held-out reconstruction SSIMs reach this (checked every `previewEvery` iterations).
    public var untilSSIM: Double?
    /// Ramp the learning rate up linearly over this many iterations (0: none), as DeepFaceLab's users do to keep
    /// Adam's first, noisy steps from wrecking a reused model.
    public var warmupIterations = 0
    /// Weight errors on the eyes and mouth (DeepFaceLab's `eyes_mouth_prio`; needs FaceMesh facesets).
    public var eyesMouthPriority = false
    /// Start a new model from these parts of an existing one.
    public var reuse: ModelReuse?
    public var augmentation = AugmentationSettings()

    public init(source: URL, destination: URL, output: URL, config: SwapModelConfig) {
        self.source = source
        self.destination = destination
        self.output = output
        self.config = config
    }

    /// Faces per identity per iteration a trainer accepts: beyond 64 the batch buffers pass gigabytes.
    public static let batchRange = 1...64
    /// Learning rates a trainer accepts: finite and small enough that Adam's steps cannot blow weights up to
    /// infinity or NaN.
    public static let learningRateRange: ClosedRange<Float> = 1e-8...0.01
    /// `--until-ssim` targets: an SSIM of 1 (a perfect copy) is never reached on unseen faces.
    public static let ssimTargetRange: ClosedRange<Double> = 0.01...0.99
    public static let warmupRange = 0...1_000_000

    /// Throws unless batch and learning rate are within their ranges.
    func validate() throws(TrainError) {
        guard Self.batchRange.contains(batch) else {
            throw .invalidConfiguration("batch must be between \(Self.batchRange.lowerBound) and \(Self.batchRange.upperBound) (got \(batch))")
        }
        guard learningRate.isFinite, Self.learningRateRange.contains(learningRate) else {
            throw .invalidConfiguration("learning rate must be between \(Self.learningRateRange.lowerBound) and \(Self.learningRateRange.upperBound) (got \(learningRate))")
        }
        if let untilSSIM {
            guard untilSSIM.isFinite, Self.ssimTargetRange.contains(untilSSIM) else {
                throw .invalidConfiguration("the SSIM target must be between \(Self.ssimTargetRange.lowerBound) and \(Self.ssimTargetRange.upperBound) (got \(untilSSIM))")
            }
            guard previewEvery > 0 else {
                throw .invalidConfiguration("an SSIM target needs the held-out figure: set --preview-every above 0")
            }
        }
        guard Self.warmupRange.contains(warmupIterations) else {
            throw .invalidConfiguration("warm-up must be between \(Self.warmupRange.lowerBound) and \(Self.warmupRange.upperBound) iterations (got \(warmupIterations))")
        }
    }

    var statePath: URL { output.deletingPathExtension().appendingPathExtension("state") }
    var lossLogPath: URL { URL(fileURLWithPath: output.deletingPathExtension().path + ".losses.csv") }
    var previewDirectory: URL { URL(fileURLWithPath: output.deletingPathExtension().path + "_previews") }
}

/// A snapshot for progress displays.
public struct TrainingProgress: Sendable {
    public var iteration: Int
    public var losses: LossValues
    public var iterationsPerSecond: Double
    /// Seconds left until the iteration or time limit, if any.
    public var remainingSeconds: Double?
    public var elapsedSeconds: Double
    /// The latest held-out reconstruction figure (nil before the first evaluation or without held-out faces).
    public var heldOut: ReconstructionScore? = nil
    /// Estimated seconds until the held-out figure reaches the SSIM target, at its recent rate of improvement.
    public var secondsToTarget: Double? = nil
}

/// A stop request shared with a signal handler.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public func request() { lock.withLock { requested = true } }
    public var isRequested: Bool { lock.withLock { requested } }
}
