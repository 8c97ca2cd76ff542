import Foundation
import Stream
import Swap
import Synchronization

/// Watches the running pipeline for the control panel: per-second figures (fps, latency, drops, stage times, CPU,
/// memory) and the latest output picture, fed by the pipeline's frame observer on the sink's thread.
///
/// The observer only records numbers and keeps a reference to the frame's picture (no copy, no encoding); the
/// server's threads do the rest.
public final class LiveMonitor: Sendable {
    /// One second of the pipeline, as the panel shows it.
    public struct Figures: Sendable, Codable {
        public var frames = 0
        public var fps = 0.0
        public var latencyP50 = 0.0
        public var latencyP99 = 0.0
        public var drops = 0
        /// Mean milliseconds per frame of each sub-stage (detect, landmarks, swap, merge, convert…) and the sink.
        public var stages: [String: Double] = [:]
        public var cpuPercent = 0.0
        public var rssMB = 0.0

        enum CodingKeys: String, CodingKey {
            case frames, fps, latencyP50 = "latency_p50_ms", latencyP99 = "latency_p99_ms", drops, stages
            case cpuPercent = "cpu_percent", rssMB = "rss_mb"
        }
    }

    /// The picture the preview shows.
    public enum View: String, Sendable, CaseIterable {
        /// The output frame.
        case output
        /// source | aligned | swapped | merged of the first face.
        case stages
    }

    private struct Window {
        var start = ContinuousClock.now
        var latencies: [Double] = []
        var stageSums: [String: Double] = [:]
        var frames = 0
        var cpuSeconds = ResourceUsage.now().cpuSeconds
    }

    private struct State {
        var window = Window()
        var current = Figures()
        var history: [Figures] = []
        var totalFrames = 0
        var image: RGBImage?
        var stageImages: FaceStageImages?
        var imageSequence = 0
        var imageTaken = ContinuousClock.now - .seconds(1)
        /// Pictures are kept only while someone watches (a preview asked for in the last few seconds).
        var watchedUntil = ContinuousClock.now - .seconds(1)
        var progress: (@Sendable () -> PipelineProgress)?
    }

    private let state = Mutex(State())
    private let recorderSlot = Mutex<RecordingSink?>(nil)
    private let control: LiveSwapControl
    /// Seconds of history kept for the latency graph.
    public let historyLength = 60

    public init(control: LiveSwapControl) {
        self.control = control
    }

    /// The job's recorder (the record button), when the job writes an output.
    public func attach(recorder: RecordingSink) {
        recorderSlot.withLock { $0 = recorder }
    }

    /// The job's recorder, once attached.
    public var recorder: RecordingSink? { recorderSlot.withLock { $0 } }

    /// Where the drop count comes from (the running pipeline's progress).
    public func attach(progress: @escaping @Sendable () -> PipelineProgress) {
        state.withLock { $0.progress = progress }
    }

    /// The pipeline's frame observer (sink thread).
    public var observer: Pipeline.FrameObserver {
        { [self] frame, latency, sinkSeconds in observe(frame, latency: latency, sinkSeconds: sinkSeconds) }
    }

    private func observe(_ frame: VideoFrame, latency: Double, sinkSeconds: Double) {
        let now = ContinuousClock.now
        let stages = frame[attachment: FaceStageImages.self]
        let keepImage = state.withLock { s -> Bool in
            s.window.frames += 1
            s.totalFrames += 1
            s.window.latencies.append(latency)
            for (stage, seconds) in frame.timings { s.window.stageSums[stage, default: 0] += seconds }
            s.window.stageSums["sink", default: 0] += sinkSeconds
            if stages != nil { s.stageImages = stages }
            if now - s.window.start >= .seconds(1) { closeWindow(&s, now: now) }
            // At most 10 pictures a second, and only while watched.
            guard now < s.watchedUntil, now - s.imageTaken >= .milliseconds(100) else { return false }
            s.imageTaken = now
            return true
        }
        guard keepImage, frame.hasImage, let image = try? frame.image else { return }
        state.withLock {
            $0.image = image
            $0.imageSequence += 1
        }
    }

    private func closeWindow(_ s: inout State, now: ContinuousClock.Instant) {
        let seconds = (now - s.window.start).seconds
        let usage = ResourceUsage.now()
        var figures = Figures()
        figures.frames = s.totalFrames
        figures.fps = Double(s.window.frames) / seconds
        let sorted = s.window.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))] * 1000
        }
        figures.latencyP50 = percentile(0.5)
        figures.latencyP99 = percentile(0.99)
        figures.drops = s.progress?().drops ?? 0
        let frames = Double(max(1, s.window.frames))
        figures.stages = s.window.stageSums.mapValues { $0 / frames * 1000 }
        figures.cpuPercent = (usage.cpuSeconds - s.window.cpuSeconds) / seconds * 100
        figures.rssMB = Self.residentMB() ?? usage.peakRSSMB
        s.current = figures
        s.history.append(figures)
        if s.history.count > historyLength { s.history.removeFirst(s.history.count - historyLength) }
        var window = Window()
        window.start = now
        window.cpuSeconds = usage.cpuSeconds
        window.latencies.reserveCapacity(s.window.latencies.capacity)
        s.window = window
    }

    /// The last full second's figures.
    public var figures: Figures { state.withLock { $0.current } }

    /// The figures of up to the last ``historyLength`` seconds, oldest first.
    public var history: [Figures] { state.withLock { $0.history } }

    /// Marks the preview as watched for a few seconds (pictures are kept only then) and, for the stages view,
    /// asks the swap stage for its pictures.
    public func watch(_ view: View) {
        state.withLock { $0.watchedUntil = ContinuousClock.now + .seconds(3) }
        control.stageImagesWanted = view == .stages
    }

    /// A number that changes whenever a new picture was kept.
    public var pictureSequence: Int { state.withLock { $0.imageSequence } }

    /// The latest picture for `view`: the output frame, or source | aligned | swapped | merged.
    public func picture(_ view: View) -> RGBImage? {
        let (image, stages) = state.withLock { ($0.image, $0.stageImages) }
        guard let image else { return nil }
        guard view == .stages, let stages else { return image }
        return FacePreview.sideBySide([stages.source, stages.aligned, stages.swapped, image],
                                       titles: ["source", "aligned", "swapped", "merged"], height: 240)
    }

    /// Current resident memory (Linux /proc), in MiB.
    private static func residentMB() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
