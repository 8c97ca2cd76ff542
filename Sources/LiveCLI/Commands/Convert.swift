import ArgumentParser
import Stream

/// `facelive convert`: a transcode through the frame pipeline, no face processing.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transcode through the frame pipeline (no face processing): H.264 video, audio copied through.")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Print a JSON report (frames, fps, drops, per-stage times, latency) on stdout.")
    var json = false

    @Flag(help: "Show FFmpeg's own warnings.")
    var verbose = false

    func run() throws {
        try PipelineJob(input: input, output: output.destination, json: json, verbose: verbose).run()
    }
}
