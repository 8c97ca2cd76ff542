import ArgumentParser
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
    @OptionGroup(title: "Faces") var tracking: FaceTrackingOptions
    @OptionGroup(title: "Swap and blend") var swap: SwapOptions

    @Option(help: ArgumentHelp("Photo of the new face (one-shot mesh swap).", valueName: "PHOTO"))
    var face: String?

    @Flag(name: .customLong("no-tag"), help: "Do not tag the output as altered by facelive (the tag is on by default).")
    var noTag = false

    @Option(help: "Burn a visible label into the frames (e.g. \"AI-altered\").")
    var label: String?

    @Flag(help: "Print a JSON report (frames, fps, drops, per-stage times, latency) on stdout.")
    var json = false

    @Flag(help: "Show FFmpeg's own warnings.")
    var verbose = false

    func run() throws {
        let locator = tracking.locator
        let landmarker = try FaceLandmarker(locator: locator)
        let photo = try face ?? locator.url(forFile: "astronaut_public_domain.png").path
        let swapper = try MeshSwapper.fromPhoto(photo, landmarker: landmarker, locator: locator)
        var job = PipelineJob(input: input, output: output, json: json, verbose: verbose)
        if !noTag { job.metadata = Provenance.tags(detail: "faces swapped") }
        try job.run { _ in
            var stages: [any FrameProcessor] = [
                FaceAnalysisStage(detector: try tracking.makeDetector(), landmarker: try FaceLandmarker(locator: locator),
                                  tracker: try tracking.makeTracker()),
                FaceSwapStage(swapper: swapper, merger: swap.merger, preview: swap.preview.map(FacePreview.init)),
            ]
            if let label { stages.append(LabelStage(text: label)) }
            return stages
        }
    }
}
