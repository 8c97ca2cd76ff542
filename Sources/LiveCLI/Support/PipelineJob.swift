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
    /// Watches every written frame for the control panel.
    var monitor: LiveMonitor?
    /// Runs once everything is open and Ctrl-C is handled, just before the first frame (starts the control panel).
    var onStart: (() throws -> Void)?

    /// Runs the job; `makeProcessors` gets the opened source's video description.
    @discardableResult
    func run(makeProcessors: (VideoStreamInfo) throws -> [any FrameProcessor] = { _ in [] }) throws -> PipelineReport {
        FFmpegLog.configure(verbose: verbose)
        // The pipeline runs a stage per core; OpenBLAS's own worker threads (used only for the face networks' small
        // heads) would spin against the other stages: measured 24 → 16 ms per landmark call under load.
        NeuralRuntime.setBLASThreadCount(1)
        let media = try MediaSource(input.input, options: try input.sourceOptions())
        let source: any FrameSource = input.realtime ? RealtimeSource(media) : media
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
        let trap = SignalTrap { [pipeline] in
            interrupted.mark()
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
        if interrupted.isMarked {
            Terminal.printError("interrupted: \(outputName) closed after \(report.frames) frames")
            throw ExitCode(130)
        }
        return report
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
        (output?.output == "-" ? FileHandle.standardError : FileHandle.standardOutput).write(data)
    }
}

/// Remembers that a stop signal came in.
final class InterruptRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var marked = false
    func mark() { lock.withLock { marked = true } }
    var isMarked: Bool { lock.withLock { marked } }
}
