import DequeModule
import Dispatch
import Synchronization

/// How a pipeline treats frames when a stage is slower than the source.
public enum PipelinePolicy: Sendable {
    /// Files: back-pressure all the way to the decoder; every frame comes out, timestamps kept.
    case lossless
    /// Cameras and streams: the source never waits; stale frames are dropped at ingress and counted.
    case live
}

/// A snapshot of a running pipeline, for progress lines.
public struct PipelineProgress: Sendable {
    public var framesIn = 0
    public var framesOut = 0
    public var drops = 0
    public var elapsedSeconds = 0.0
}

/// source → processors → sink, each stage on its own Dispatch queue, joined by bounded channels.
///
/// The source stage decodes, each processor runs on its own queue, the sink stage encodes and muxes (audio
/// packets go straight from the demuxer to the sink stage, which interleaves them). Per-stage times and
/// end-to-end latency are collected for every frame.
public final class Pipeline: @unchecked Sendable {
    private let source: any FrameSource
    private let processors: [any FrameProcessor]
    private let sink: any FrameSink
    private let policy: PipelinePolicy
    private let maxFrames: Int?
    private let channels: [BoundedChannel<VideoFrame>]
    /// Frames between decoder and output, by bytes (lossless runs; live runs are bounded by their 1-frame queues).
    private let inFlight: InFlightLimit?
    private let audio = Mutex(Deque<AudioPacket>())
    private let state = Mutex(RunState())
    private let observer: FrameObserver?

    /// Sees every frame after the sink wrote it, on the sink's thread, with the frame's end-to-end latency and the
    /// sink's time in seconds (the control panel's live figures and preview). It must return quickly: the next
    /// frame waits for it.
    public typealias FrameObserver = @Sendable (_ frame: VideoFrame, _ latency: Double, _ sinkSeconds: Double) -> Void

    private struct RunState {
        var progress = PipelineProgress()
        var error: (any Error)?
        var cancelled = false
        var sourceComplete = false
    }

    /// Bytes the frames between decoder and output may take by default (counted as RGB, their largest form):
    /// one 8K frame (100 MB), two at 5K, five at 4K; below that the stage count is the limit. One 8K frame at a
    /// time keeps an 8K run under 1 GB (1092 → 998 MB) at the cost of some overlap between decoder, stages and
    /// encoder (docs/BENCHMARKS.md, "Memory").
    public static let defaultQueueBytes = 128 << 20

    /// - Parameters:
    ///   - maxFrames: stop after this many frames from the source.
    ///   - queueCapacity: frames that may wait between two stages (live input always uses 1 at ingress).
    ///   - queueBytes: what the frames between decoder and output may take together (lossless runs): at large
    ///     sizes (8K frames are 100 MB as RGB) fewer frames are in flight, down to one, so memory stays bounded.
    ///     However small the frames, at most ``framesInFlight(stages:)`` are in flight.
    ///   - observer: sees each frame once it is written.
    public init(source: any FrameSource, processors: [any FrameProcessor] = [], sink: any FrameSink,
                policy: PipelinePolicy, maxFrames: Int? = nil, queueCapacity: Int = 2,
                queueBytes: Int = Pipeline.defaultQueueBytes, observer: FrameObserver? = nil) {
        self.source = source
        self.observer = observer
        self.processors = processors
        self.sink = sink
        self.policy = policy
        self.maxFrames = maxFrames
        let frameBytes = max(1, source.video.width * source.video.height * 3)
        var channels: [BoundedChannel<VideoFrame>] = []
        for i in 0...processors.count {
            if i == 0 && policy == .live {
                channels.append(BoundedChannel(capacity: 1, overflow: .dropOldest))
            } else {
                channels.append(BoundedChannel(capacity: policy == .live ? 1 : queueCapacity, overflow: .block))
            }
        }
        self.channels = channels
        inFlight = policy == .lossless
            ? InFlightLimit(bytes: queueBytes, frameBytes: frameBytes, minimum: 1,
                            maximum: Self.framesInFlight(stages: processors.count))
            : nil
    }

    /// The most frames a lossless run keeps between decoder and output: one in each stage (decoder, processors,
    /// sink) and one waiting for the slowest. The queues alone would allow twice as many, which at 1080p is
    /// ~25 MB more with nothing gained: the slowest stage sets the pace, and one waiting frame keeps it busy.
    public static func framesInFlight(stages processors: Int) -> Int { processors + 3 }

    /// Progress so far (safe from any thread).
    public var progress: PipelineProgress {
        var snapshot = state.withLock { $0.progress }
        snapshot.drops = channels[0].counters.dropped
        return snapshot
    }

    /// Stops reading; frames already in flight are finished and the output is closed properly.
    /// Safe from any thread, e.g. a signal handler's queue.
    public func cancel() {
        state.withLock { $0.cancelled = true }
        source.stop()
    }

    /// Runs to the end of the input (or a cancel or an error) and reports. Throws the first stage error after
    /// the output has been closed without harming a file (see ``FrameSink/discard()``).
    public func run() throws -> PipelineReport {
        let start = ContinuousClock.now
        let usageBefore = ResourceUsage.now()
        state.withLock { $0.progress = PipelineProgress() }
        source.audioHandler = { [weak self] packet in self?.audio.withLock { $0.append(packet) } }
        defer { source.audioHandler = nil }

        let group = DispatchGroup()
        var decodeTimes: [Double] = []
        var stageTimes = [[Double]](repeating: [], count: processors.count)
        var sinkResult = SinkTimes()

        let sourceBox = UncheckedBox { decodeTimes = self.runSource(start: start) }
        DispatchQueue(label: "facelive.source", qos: .userInitiated).async(group: group) { sourceBox.value() }
        for index in processors.indices {
            let box = UncheckedBox { stageTimes[index] = self.runProcessor(index) }
            DispatchQueue(label: "facelive.stage.\(processors[index].name)", qos: .userInitiated)
                .async(group: group) { box.value() }
        }
        let sinkBox = UncheckedBox { sinkResult = self.runSink(start: start) }
        DispatchQueue(label: "facelive.sink", qos: .userInitiated).async(group: group) { sinkBox.value() }
        group.wait()

        let elapsed = (ContinuousClock.now - start).seconds
        let usageAfter = ResourceUsage.now()
        let final = state.withLock { $0 }
        if let error = final.error { throw error }

        var stages: [String: TimingSummary] = ["decode": TimingSummary(seconds: decodeTimes)]
        for (index, processor) in processors.enumerated() {
            stages[processor.name] = TimingSummary(seconds: stageTimes[index])
        }
        for (name, samples) in sinkResult.subStages { stages[name] = TimingSummary(seconds: samples) }
        stages["encode"] = TimingSummary(seconds: sinkResult.encode)
        let frames = final.progress.framesOut
        var report = PipelineReport(
            framesIn: final.progress.framesIn,
            frames: frames,
            drops: channels[0].counters.dropped,
            elapsedSeconds: elapsed,
            fps: elapsed > 0 ? Double(frames) / elapsed : 0,
            latency: LatencySummary(TimingSummary(seconds: sinkResult.latency)),
            stages: stages,
            cpuPercent: elapsed > 0 ? (usageAfter.cpuSeconds - usageBefore.cpuSeconds) / elapsed * 100 : 0,
            peakRSSMB: usageAfter.peakRSSMB,
            maxQueueDepth: channels.map { $0.counters.highWater }.max() ?? 0,
            complete: final.sourceComplete)
        // Every stage thread has finished, so reading the processors' state here is race-free.
        for processor in processors where !processor.measurements.isEmpty {
            report.measurements[processor.name] = processor.measurements
        }
        return report
    }

    // MARK: - Stages

    private func runSource(start: ContinuousClock.Instant) -> [Double] {
        let output = channels[0]
        defer { output.close() }
        var times: [Double] = []
        while !state.withLock({ $0.cancelled }) {
            if let maxFrames, times.count >= maxFrames { break }
            if let inFlight, !inFlight.acquire(until: { self.state.withLock { $0.cancelled } }) { break }
            let t0 = ContinuousClock.now
            let frame: VideoFrame?
            do {
                frame = try source.nextFrame()
            } catch {
                fail(error)
                return times
            }
            guard let frame else {
                inFlight?.release()
                let cancelled = state.withLock { $0.cancelled }
                state.withLock { $0.sourceComplete = !cancelled }
                break
            }
            times.append((ContinuousClock.now - t0).seconds)
            state.withLock {
                $0.progress.framesIn += 1
                $0.progress.elapsedSeconds = (ContinuousClock.now - start).seconds
            }
            if !output.send(frame) { break }
        }
        return times
    }

    private func runProcessor(_ index: Int) -> [Double] {
        let input = channels[index], output = channels[index + 1]
        let processor = processors[index]
        defer { output.close() }
        var times: [Double] = []
        while let frame = input.receive() {
            let t0 = ContinuousClock.now
            do {
                try processor.process(frame)
            } catch {
                fail(error)
                input.cancel()
                break
            }
            times.append((ContinuousClock.now - t0).seconds)
            if !output.send(frame) {
                input.cancel()
                break
            }
        }
        return times
    }

    private struct SinkTimes {
        var encode: [Double] = []
        var latency: [Double] = []
        var subStages: [String: [Double]] = [:]
    }

    private func runSink(start: ContinuousClock.Instant) -> SinkTimes {
        let input = channels[channels.count - 1]
        var times = SinkTimes()
        while let frame = input.receive() {
            let latency = (ContinuousClock.now - frame.capturedAt).seconds
            times.latency.append(latency)
            let convertBefore = frame.timings.first { $0.stage == "convert" }?.seconds ?? 0
            let t0 = ContinuousClock.now
            do {
                try writePendingAudio()
                try sink.write(frame)
            } catch {
                fail(error)
                input.cancel()
                break
            }
            let convertAfter = frame.timings.first { $0.stage == "convert" }?.seconds ?? 0
            let sinkSeconds = (ContinuousClock.now - t0).seconds
            times.encode.append(sinkSeconds - (convertAfter - convertBefore))
            for (stage, seconds) in frame.timings { times.subStages[stage, default: []].append(seconds) }
            observer?(frame, latency, sinkSeconds)
            state.withLock {
                $0.progress.framesOut += 1
                $0.progress.elapsedSeconds = (ContinuousClock.now - start).seconds
            }
            inFlight?.release()
        }
        // Always close the output. After an error, a file the output would replace stays as it was, a new file
        // keeps what was written, a live output is finalised (see FrameSink.discard).
        let (complete, errored) = state.withLock { ($0.sourceComplete && $0.error == nil, $0.error != nil) }
        if errored {
            sink.discard()
            return times
        }
        do {
            try writePendingAudio()
            try sink.finish(complete: complete)
        } catch {
            fail(error)
            sink.discard()
        }
        return times
    }

    private func writePendingAudio() throws {
        let packets = audio.withLock { queue -> Deque<AudioPacket> in
            defer { queue.removeAll() }
            return queue
        }
        for packet in packets { try sink.writeAudio(packet) }
    }

    private func fail(_ error: any Error) {
        state.withLock {
            if $0.error == nil { $0.error = error }
            $0.cancelled = true
        }
        source.stop()
    }
}

/// Carries a closure that touches thread-confined state into a Dispatch block.
private final class UncheckedBox: @unchecked Sendable {
    let value: () -> Void
    init(_ value: @escaping () -> Void) { self.value = value }
}
