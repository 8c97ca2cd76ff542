import Face
import Imaging
import Stream
import Synchronization

/// The settings and new face of a running face swap, changed from any thread (the control panel's server) and
/// read by the stages once per frame, so a change takes effect whole from the next frame.
///
/// Reading costs the stages a lock and an integer comparison per frame; they copy the settings only after a change.
public final class LiveSwapControl: Sendable {
    /// What changed since a stage last looked.
    struct Update: Sendable {
        let settings: LiveSwapSettings
        /// A new face to swap in; nil = keep the current one.
        let swapper: (any FaceSwapper)?
        let swapperGeneration: Int
        let generation: Int
    }

    private struct State: Sendable {
        var settings: LiveSwapSettings
        var swapper: (any FaceSwapper)?
        var swapperGeneration = 0
        /// Starts above the stages' 0, so they apply these settings on their first frame.
        var generation = 1
        var stageImagesWanted = false
    }

    private let state: Mutex<State>

    public init(settings: LiveSwapSettings) {
        state = Mutex(State(settings: settings))
    }

    /// The settings in force (from the next frame on).
    public var settings: LiveSwapSettings { state.withLock { $0.settings } }

    /// Applies `change` to the settings and publishes them when they validate; otherwise nothing changes and the
    /// validation error is thrown. Returns the settings now in force.
    @discardableResult
    public func update(_ change: (inout LiveSwapSettings) throws -> Void) throws -> LiveSwapSettings {
        // Applied to the latest settings under the lock, so two clients changing different fields at once do not
        // undo each other.
        try state.withLock { (state: inout State) throws -> LiveSwapSettings in
            var settings = state.settings
            try change(&settings)
            try settings.validate()
            state.settings = settings
            state.generation += 1
            return settings
        }
    }

    /// Swaps in a new face from the next frame (built off the pipeline threads: loading a photo or model takes
    /// a while).
    public func replaceSwapper(_ swapper: any FaceSwapper) {
        state.withLock {
            $0.swapper = swapper
            $0.swapperGeneration += 1
            $0.generation += 1
        }
    }

    /// Whether the swap stage should attach ``FaceStageImages`` to frames (someone watches the stages).
    public var stageImagesWanted: Bool {
        get { state.withLock { $0.stageImagesWanted } }
        set { state.withLock { $0.stageImagesWanted = newValue } }
    }

    /// What changed after `generation`, or nil.
    func update(newerThan generation: Int) -> Update? {
        state.withLock {
            guard $0.generation != generation else { return nil }
            return Update(settings: $0.settings, swapper: $0.swapper, swapperGeneration: $0.swapperGeneration,
                          generation: $0.generation)
        }
    }

    /// The analysis stage's hook: detection, selection and landmark-smoothing settings.
    var analysisOptions: FaceAnalysisStage.LiveOptions {
        { [self] generation, detector, tracker in
            guard let update = update(newerThan: generation) else { return false }
            generation = update.generation
            update.settings.apply(to: &detector, tracker: &tracker)
            return true
        }
    }
}

/// The pictures behind one frame's first swapped face, for the control panel's source | aligned | swapped |
/// merged view (the merged picture is the frame itself). Attached by ``FaceSwapStage`` when
/// ``LiveSwapControl/stageImagesWanted``.
public struct FaceStageImages: Sendable {
    public let source: RGBImage
    public let aligned: RGBImage
    public let swapped: RGBImage
}
