import ArgumentParser
import Control
import Foundation
import Stream
import Swap

/// `facelive bench`: the real face-swap pipeline, timed: per-stage times, end-to-end latency, fps, drops, CPU, memory.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the face-swap pipeline and report per-stage times, latency percentiles, fps, drops, CPU and RSS.",
        discussion: "Frames are encoded (H.264) and discarded unless -o is given. --realtime paces a file like a camera.")

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "New face") var swapper: SwapperOptions
    @OptionGroup(title: "Faces") var tracking: FaceTrackingOptions
    @OptionGroup(title: "Alignment") var alignment: AlignmentOptions
    @OptionGroup(title: "Swap and blend") var swap: SwapOptions
    @OptionGroup(title: "Live control panel") var control: ControlOptions

    @Option(name: [.customShort("o"), .long], help: "Also write the output here (default: encode and discard).")
    var output: String?

    @Option(name: [.customShort("f"), .customLong("format")], help: "Output container for -o (e.g. mpegts for udp://).")
    var format: String?

    @Option(help: "Stop after this many seconds of input.")
    var duration: Double?

    @Option(help: ArgumentHelp("Write the report as JSON to FILE ('-' for stdout).", valueName: "FILE"))
    var json: String?

    @Flag(help: "Show FFmpeg's own warnings.")
    var verbose = false

    func validate() throws {
        if let duration { try OptionRange.check(duration, "--duration", 0.01...31_536_000, unit: " s") }
    }

    func run() throws {
        let destination = output.map { OutputDestination(output: $0, format: format) }
            ?? OutputDestination(output: "-", format: "null")
        var job = PipelineJob(input: input, output: destination, json: false, verbose: verbose)
        job.maxDuration = duration
        job.otherInputs = swapper.inputFiles
        job.otherOutputs = swap.outputFiles + (json.flatMap { $0 == "-" ? nil : [NamedPath("--json", $0)] } ?? [])
        try job.checkOutputs()
        var (pipeline, newFace) = try FaceSwapPipeline.from(tracking: tracking, alignment: alignment, swapper: swapper,
                                                            swap: swap, label: nil)
        // --control: the cost of the panel is measured on the real pipeline.
        let server = try control.prepare(&pipeline, job: &job, swapper: swapper, output: destination.output)
        defer { server?.stop() }
        let stages = try swapper.stages(of: pipeline, newFace: newFace)
        let report = try job.run { _ in stages }
        // With the JSON on stdout, the table goes to stderr.
        let table = Data((BenchTable(report).text + "\n").utf8)
        try (json == "-" ? ByteWriter.standardError : ByteWriter.standardOutput).write(table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let data = try encoder.encode(report) + Data("\n".utf8)
            if json == "-" {
                try ByteWriter.standardOutput.write(data)
            } else {
                try data.write(to: URL(fileURLWithPath: json))
            }
        }
    }
}

/// The human-readable report of a bench run.
struct BenchTable {
    /// Pipeline order first; anything else after, alphabetically.
    static let order = ["decode", "convert", "analyze", "detect", "landmarks", "track", "hands", "palms", "hand-pts",
                        "occlusion", "faceswap", "align", "swap", "smooth", "merge", "label", "encode"]
    let report: PipelineReport

    init(_ report: PipelineReport) {
        self.report = report
    }

    var text: String {
        let r = report
        var lines = [String(format: "%d frames, %.1f fps, %d dropped, CPU %.0f %%, peak RSS %.0f MB",
                            r.frames, r.fps, r.drops, r.cpuPercent, r.peakRSSMB),
                     String(format: "latency (capture → written): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                            r.latency.p50, r.latency.p95, r.latency.p99, r.latency.max),
                     "",
                     "stage         calls    mean ms   p50 ms   p95 ms   p99 ms"]
        let names = Self.order.filter { r.stages[$0] != nil } + r.stages.keys.filter { !Self.order.contains($0) }.sorted()
        for name in names {
            guard let s = r.stages[name] else { continue }
            lines.append(String(format: "%@ %8d %10.2f %8.2f %8.2f %8.2f", name.padding(toLength: 10, withPad: " ", startingAt: 0),
                                s.count, s.meanMs, s.p50Ms, s.p95Ms, s.p99Ms))
        }
        return lines.joined(separator: "\n")
    }
}
