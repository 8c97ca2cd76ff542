import ArgumentParser
import Control
import Foundation
import Stream
import Swap

/// `facelive run`: the face swap, on files, streams and cameras.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Swap faces: detect, track, align, swap and blend every face of every frame.",
        discussion: "With no --face, the public-domain astronaut portrait shipped with facelive is the new face.")

    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup(title: "New face") var swapper: SwapperOptions
    @OptionGroup(title: "Faces") var tracking: FaceTrackingOptions
    @OptionGroup(title: "Alignment") var alignment: AlignmentOptions
    @OptionGroup(title: "Swap and blend") var swap: SwapOptions
    @OptionGroup(title: "Live control panel") var control: ControlOptions

    @Flag(name: .customLong("no-tag"), help: "Do not tag the output as altered by facelive (the tag is on by default).")
    var noTag = false

    @Option(help: "Burn a visible label into the frames (e.g. \"AI-altered\").")
    var label: String?

    @Flag(help: "Print a JSON report (frames, fps, drops, per-stage times, latency) on stdout.")
    var json = false

    @Flag(help: "Show FFmpeg's own warnings.")
    var verbose = false

    func run() throws {
        var job = PipelineJob(input: input, output: output.destination, json: json, verbose: verbose)
        if !noTag { job.metadata = Provenance.tags(detail: "faces swapped") }
        job.otherInputs = swapper.inputFiles
        job.otherOutputs = swap.outputFiles
        try job.checkOutputs()
        // The photo is read before the input is opened, so a bad photo fails fast.
        var (pipeline, newFace) = try FaceSwapPipeline.from(tracking: tracking, alignment: alignment, swapper: swapper,
                                                            swap: swap, label: label)
        let server = try control.prepare(&pipeline, job: &job, swapper: swapper, output: output.output)
        let stages = try swapper.stages(of: pipeline, newFace: newFace)
        let previewBefore = swap.preview.flatMap(Self.modificationDate)
        defer { server?.stop() }
        let report = try job.run { _ in stages }
        if let preview = swap.preview, Self.modificationDate(preview) == nil || Self.modificationDate(preview) == previewBefore {
            Terminal.printError("note: no face was swapped, so --preview \(preview) was not written")
        }
        if !json, Terminal.isInteractive, let figures = report.measurements["faceswap"], let flicker = figures["flicker"] {
            let smoothing = figures["smoothing_lag"].map { String(format: " (unsmoothed %.2f, smoothing lag %.2f)",
                                                                  figures["flicker_unsmoothed"] ?? 0, $0) } ?? ""
            Terminal.printError(String(format: "flicker %.2f%@ (mean frame-to-frame change of the aligned face, 0–255)",
                                       flicker, smoothing))
        }
    }

    private static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
