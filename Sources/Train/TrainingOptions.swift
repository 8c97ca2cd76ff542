import Foundation
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

    /// Throws unless batch and learning rate are within their ranges.
    func validate() throws(TrainError) {
        guard Self.batchRange.contains(batch) else {
            throw .invalidConfiguration("batch must be between \(Self.batchRange.lowerBound) and \(Self.batchRange.upperBound) (got \(batch))")
        }
        guard learningRate.isFinite, Self.learningRateRange.contains(learningRate) else {
            throw .invalidConfiguration("learning rate must be between \(Self.learningRateRange.lowerBound) and \(Self.learningRateRange.upperBound) (got \(learningRate))")
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
}

/// A stop request shared with a signal handler.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public func request() { lock.withLock { requested = true } }
    public var isRequested: Bool { lock.withLock { requested } }
}
