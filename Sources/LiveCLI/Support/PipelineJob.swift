import ArgumentParser
import Foundation
import Stream

/// Runs one source → processors → sink job the way every command does: opens both ends (failing fast on bad
/// input or output), shows progress on a terminal, stops gracefully on Ctrl-C, prints a summary or JSON.
struct PipelineJob {
    var input: InputOptions
    var output: OutputOptions
    var json: Bool
    var verbose: Bool
    var metadata: [String: String] = [:]

    /// Runs the job; `makeProcessors` gets the opened source's video description.
    func run(makeProcessors: (VideoStreamInfo) throws -> [any FrameProcessor] = { _ in [] }) throws {
        FFmpegLog.configure(verbose: verbose)
        let source = try MediaSource(input.input, options: try input.sourceOptions())
        let live = input.live || source.isLive
        var settings = output.encoderSettings(live: live, threads: input.threads)
        settings.metadata = metadata
        let processors = try makeProcessors(source.video)
        let opened = try SinkFactory.open(output.output, video: source.video, audio: source.audio, settings: settings,
                                          deviceFormat: output.devicePixelFormat)
        // --delay: a jitter buffer between the last stage and the output.
        let paced = output.delay > 0
            ? PacedSink(wrapping: opened, delay: .milliseconds(output.delay), frameRate: source.video.frameRate) : nil
        let sink: any FrameSink = paced ?? opened
        let pipeline = Pipeline(source: source, processors: processors, sink: sink,
                                policy: live ? .live : .lossless, maxFrames: input.maxFrames)

        let interrupted = InterruptRecord()
        let trap = SignalTrap { [pipeline] in
            interrupted.mark()
            pipeline.cancel()
        }
        var total = source.video.frameCount
        if let maxFrames = input.maxFrames { total = min(total ?? maxFrames, maxFrames) }
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

        if let sink = opened as? MediaSink { sink.warnings.forEach { Terminal.printError("warning: \($0)") } }
        if let warning = paced?.warning { Terminal.printError("warning: \(warning)") }
        if let warning = source.readWarning { Terminal.printError("warning: input ended early: \(warning)") }
        if json {
            try printJSON(report)
        } else if Terminal.isInteractive {
            Terminal.printError(summary(report))
        }
        if interrupted.isMarked {
            Terminal.printError("interrupted: \(output.output) closed after \(report.frames) frames")
            throw ExitCode(130)
        }
    }

    private func summary(_ r: PipelineReport) -> String {
        String(format: "wrote %@: %d frames in %@ (%.1f fps), %d dropped, latency p50 %.1f ms p99 %.1f ms",
               output.output, r.frames, Terminal.formatSeconds(r.elapsedSeconds), r.fps, r.drops, r.latency.p50, r.latency.p99)
    }

    private func printJSON(_ report: PipelineReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report) + Data("\n".utf8)
        // With video on stdout, machine-readable output goes to stderr.
        (output.output == "-" ? FileHandle.standardError : FileHandle.standardOutput).write(data)
    }
}

/// Remembers that a stop signal came in.
final class InterruptRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var marked = false
    func mark() { lock.withLock { marked = true } }
    var isMarked: Bool { lock.withLock { marked } }
}
