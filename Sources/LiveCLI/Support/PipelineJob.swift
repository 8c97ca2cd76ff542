import ArgumentParser
import Control
import Foundation
import Neural
import Stream

/// Runs one source → processors → sink job the way every command does: opens both ends (failing fast on bad
/// input or output), shows progress on a terminal, stops gracefully on Ctrl-C, prints a summary or JSON.
struct PipelineJob {
    var input: InputOptions
    /// nil: frames are discarded (a job whose product is its report or JSON).
    var output: OutputDestination?
    var json: Bool
    var verbose: Bool
    var metadata: [String: String] = [:]
    /// Stop after this many seconds of input (converted to frames at the input's rate).
    var maxDuration: Double?
    /// Files the job reads besides -i (a photo, a model), so no output may overwrite them.
    var otherInputs: [NamedPath] = []
    /// Files the job writes besides -o (a preview, a JSON log), checked against the inputs and each other.
    var otherOutputs: [NamedPath] = []
    /// Watches every written frame for the control panel.
    var monitor: LiveMonitor?
    /// Runs once everything is open and Ctrl-C is handled, just before the first frame (starts the control panel).
    var onStart: (() throws -> Void)?

    /// Runs the job; `makeProcessors` gets the opened source's video description.
    @discardableResult
    func run(makeProcessors: (VideoStreamInfo) throws -> [any FrameProcessor] = { _ in [] }) throws -> PipelineReport {
        FFmpegLog.configure(verbose: verbose)
        try checkOutputs()
        // The pipeline runs a stage per core; OpenBLAS's own worker threads (used only for the face networks' small
        // heads) would spin against the other stages: measured 24 → 16 ms per landmark call under load.
        NeuralRuntime.setBLASThreadCount(1)
        let media = try MediaSource(input.input, options: try input.sourceOptions())
        let source: any FrameSource = input.realtime ? RealtimeSource(media) : media
        media.notes.forEach { Terminal.printError("note: \($0)") }
        let live = input.live || source.isLive
        let processors = try makeProcessors(source.video)
        let sink: any FrameSink
        if let output {
            var settings = output.encoderSettings(live: live, threads: input.threads)
            settings.metadata = metadata
            let opened = try SinkFactory.open(output.output, video: source.video, audio: source.audio,
                                              settings: settings, deviceFormat: output.devicePixelFormat)
            // --delay: a jitter buffer between the last stage and the output.
            let paced: any FrameSink = output.delay > 0
                ? PacedSink(wrapping: opened, delay: .milliseconds(output.delay), frameRate: source.video.frameRate)
                : opened
            if let monitor {
                // The control panel's record button: a second file written beside the output.
                let recorder = RecordingSink(wrapping: paced, video: source.video, audio: source.audio, settings: settings)
                monitor.attach(recorder: recorder)
                sink = recorder
            } else {
                sink = paced
            }
        } else {
            sink = NullSink()
        }
        var maxFrames = input.maxFrames
        if let maxDuration {
            maxFrames = min(maxFrames ?? .max, max(1, Int((maxDuration * source.video.frameRate).rounded(.up))))
        }
        let pipeline = Pipeline(source: source, processors: processors, sink: sink,
                                policy: live ? .live : .lossless, maxFrames: maxFrames, observer: monitor?.observer)
        monitor?.attach { [pipeline] in pipeline.progress }

        let interrupted = InterruptRecord()
        let trap = SignalTrap { [pipeline] signal in
            interrupted.mark(signal)
            pipeline.cancel()
        }
        var total = source.video.frameCount
        if let maxFrames { total = min(total ?? maxFrames, maxFrames) }
        try onStart?()
        let progress = Terminal.isInteractive && !json ? ProgressLine(pipeline: pipeline, totalFrames: total) : nil
        let report: PipelineReport
        do {
            report = try pipeline.run()
            progress?.stop()
        } catch {
            progress?.stop()
            throw error
        }
        withExtendedLifetime(trap) {}

        sink.warnings.forEach { Terminal.printError("warning: \($0)") }
        if let warning = media.readWarning { Terminal.printError("warning: input ended early: \(warning)") }
        if json {
            try printJSON(report)
        } else if Terminal.isInteractive {
            Terminal.printError(summary(report))
        }
        if let signal = interrupted.signal {
            Terminal.printError("interrupted: \(outputName) closed after \(report.frames) frames")
            throw ExitCode(128 + signal)
        }
        return report
    }

    /// Refuses, before anything is opened, an output that is one of the inputs or another output.
    func checkOutputs() throws {
        let outputs = (output.map { [NamedPath("-o", $0.output)] } ?? []) + otherOutputs
        try OutputConflicts.check(outputs: outputs, inputs: [NamedPath("-i", input.input)] + otherInputs)
    }

    private var outputName: String { output?.output ?? "nothing" }

    private func summary(_ r: PipelineReport) -> String {
        String(format: "wrote %@: %d frames in %@ (%.1f fps), %d dropped, latency p50 %.1f ms p99 %.1f ms",
               outputName, r.frames, Terminal.formatSeconds(r.elapsedSeconds), r.fps, r.drops, r.latency.p50, r.latency.p99)
    }

    private func printJSON(_ report: PipelineReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report) + Data("\n".utf8)
        // With video on stdout, machine-readable output goes to stderr.
        try (output?.output == "-" ? ByteWriter.standardError : ByteWriter.standardOutput).write(data)
    }
}

/// Remembers which stop signal came in.
final class InterruptRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    func mark(_ signal: Int32) { lock.withLock { received = signal } }
    var signal: Int32? { lock.withLock { received } }
}
