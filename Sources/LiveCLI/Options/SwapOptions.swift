import ArgumentParser
import Face
import Swap

/// Merging, temporal smoothing and preview options (`run`, `bench`), named after DeepFaceLive's.
struct SwapOptions: ParsableArguments {
    @Option(help: "Mask erosion in pixels (negative dilates).")
    var erode = 2

    @Option(help: "Mask feathering: Gaussian sigma in pixels.")
    var blur: Float = 6.25

    @Option(name: .customLong("color-transfer"), help: "Colour matching of the new face: rct, lct or none.")
    var colorTransfer: ColorTransfer = .rct

    @Option(help: "Face opacity 0…1.")
    var opacity: Float = 1

    @Flag(name: .customLong("keep-mouth"), help: "Keep the original mouth interior (teeth, tongue).")
    var keepMouth = false

    @Flag(name: .customLong("keep-eyes"), help: "Keep the original eye openings (the one-shot swap always does).")
    var keepEyes = false

    @Option(name: .customLong("temporal-smoothing"), help: ArgumentHelp(
        "Blend each swapped face with its previous frame's, in aligned space, against flicker: weight of the previous face, 0 (off) to 0.95.",
        valueName: "S"))
    var temporalSmoothing: Float = 0.5

    @Option(name: .customLong("temporal-reset"), help: ArgumentHelp(
        "Restart temporal smoothing when the aligned crop moves more than this fraction of its size in one frame.",
        valueName: "FRACTION"))
    var temporalReset: Float = 0.1

    @Option(help: ArgumentHelp("Write a side-by-side picture (source | aligned | swapped | merged) of the first frame with a face.", valueName: "PNG"))
    var preview: String?

    @Option(help: "What stays in front of the swapped faces: hands (tracked, cut out of every face) or none.")
    var occlusion: OcclusionChoice = .hands

    @Option(name: .customLong("occlusion-dilate"), help: ArgumentHelp(
        "Grow the hand cut-out by this many frame pixels (0…64; covers landmark error and motion).", valueName: "PX"))
    var occlusionDilate: Float = 4

    func validate() throws {
        guard (0...1).contains(opacity) else { throw ValidationError("--opacity must be between 0 and 1") }
        guard blur >= 0 else { throw ValidationError("--blur must be 0 or more") }
        guard (0...0.95).contains(temporalSmoothing) else { throw ValidationError("--temporal-smoothing must be between 0 and 0.95") }
        guard temporalReset > 0 else { throw ValidationError("--temporal-reset must be positive") }
        guard (0...64).contains(occlusionDilate) else { throw ValidationError("--occlusion-dilate must be between 0 and 64") }
    }

    /// How hands are cut out of the faces; nil with `--occlusion none`.
    var occlusionShape: HandShape? {
        occlusion == .hands ? HandShape(dilatePixels: occlusionDilate) : nil
    }

    /// nil when temporal smoothing is off.
    var temporalSmoothingOptions: TemporalFaceSmoother.Options? {
        temporalSmoothing > 0 ? TemporalFaceSmoother.Options(strength: temporalSmoothing, resetMotion: temporalReset) : nil
    }

    var mergerOptions: FaceMerger.Options {
        var options = FaceMerger.Options()
        options.erodePixels = erode
        options.blurSigma = blur
        options.colorTransfer = colorTransfer
        options.opacity = opacity
        options.keepOriginalMouth = keepMouth
        options.keepOriginalEyes = keepEyes
        return options
    }
}

extension ColorTransfer: ExpressibleByArgument {}

enum OcclusionChoice: String, ExpressibleByArgument, CaseIterable {
    case hands, none
}
