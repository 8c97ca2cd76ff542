import ArgumentParser
import Face
import Stream
import Swap

/// Merging, temporal smoothing and preview options (`run`, `bench`), named after DeepFaceLive's.
struct SwapOptions: ParsableArguments {
    @Option(help: "Mask erosion in pixels of the aligned crop, -100…100 (negative dilates).")
    var erode = 2

    @Option(help: "Mask feathering: Gaussian sigma in pixels of the aligned crop, 0…50.")
    var blur: Float = 6.25

    @Option(name: .customLong("color-transfer"), help: "Colour matching of the new face: rct, lct or none.")
    var colorTransfer: ColorTransfer = .rct

    @Option(help: ArgumentHelp("Relighting: the target's light, skin tone and white balance under the new face's detail, 0 (off: --color-transfer instead) to 1 (default: 1 for a photo, \(Relighting.trainedModelStrength) for a trained model).", valueName: "S"))
    var relight: Float?

    @Option(help: ArgumentHelp("Camera grain: synthetic grain, in light and colour, up to the camera's noise (measured on the target's face) on a new face cleaner than the frame, 0 (off) to 1 (default).", valueName: "S"))
    var grain: Float = 1

    @Option(help: "Blend: pyramid (multi-band, no seam), poisson (gradient domain) or alpha (feathered mask).")
    var blend: BlendMode = .pyramid

    @Option(name: .customLong("keep-glasses"), help: "Keep the target's glasses in front of the new face: auto (when detected), on, off.")
    var keepGlasses: GlassesMode = .auto

    @Option(name: .customLong("keep-hair"), help: "Keep the target's hair (and background) where it falls over the face's outline: on, off.")
    var keepHair: HairMode = .on

    @Option(help: "Face opacity 0…1.")
    var opacity: Float = 1

    @Flag(name: .customLong("keep-mouth"), help: "Keep the original mouth interior (teeth, tongue); a facelive model keeps it unless --model-mouth.")
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
    var occlusion: OcclusionMode = .hands

    @Option(name: .customLong("occlusion-dilate"), help: ArgumentHelp(
        "Grow the hand cut-out by this many frame pixels (0…64; covers landmark error and motion).", valueName: "PX"))
    var occlusionDilate: Float = 4

    func validate() throws {
        var settings = LiveSwapSettings()
        apply(to: &settings)
        try settings.validateAsFlags()
        try OptionRange.check(occlusionDilate, "--occlusion-dilate", 0...64, unit: " px")
    }

    /// How hands are cut out of the faces; nil with `--occlusion none`.
    var occlusionShape: HandShape? {
        occlusion == .hands ? HandShape(dilatePixels: occlusionDilate) : nil
    }

    /// The files this writes (checked against the job's inputs and other outputs).
    var outputFiles: [NamedPath] { preview.map { [NamedPath("--preview", $0)] } ?? [] }

    /// The live settings these flags set (merge, occlusion and temporal smoothing).
    func apply(to settings: inout LiveSwapSettings) {
        settings.erode = erode
        settings.blur = blur
        settings.colorTransfer = colorTransfer
        if let relight { settings.relight = relight }
        settings.grain = grain
        settings.blend = blend
        settings.keepGlasses = keepGlasses
        settings.keepHair = keepHair
        settings.occlusion = occlusion
        settings.opacity = opacity
        settings.keepMouth = keepMouth
        settings.keepEyes = keepEyes
        settings.temporalSmoothing = temporalSmoothing
        settings.temporalReset = temporalReset
    }
}

extension LiveSwapSettings {
    /// ``validate()`` with the field named as the flag (`--opacity …`), for ArgumentParser.
    func validateAsFlags() throws {
        do { try validate() } catch { throw ValidationError("--\(error)") }
    }
}

extension ColorTransfer: ExpressibleByArgument {}
extension BlendMode: ExpressibleByArgument {}
extension GlassesMode: ExpressibleByArgument {}
extension HairMode: ExpressibleByArgument {}
extension OcclusionMode: ExpressibleByArgument {}
