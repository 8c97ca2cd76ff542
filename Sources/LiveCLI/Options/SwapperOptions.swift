import Foundation
import ArgumentParser
import Face
import Neural
import Stream
import Swap

/// Which new face to paint: a photo (one-shot mesh swap); trained models plug in here too.
struct SwapperOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Photo of the new face (one-shot mesh swap); default: the shipped public-domain astronaut portrait.", valueName: "PHOTO"))
    var face: String?

    @Option(help: ArgumentHelp("A model trained with 'facelive train' (safetensors), or a DeepFaceLive model (.dfm, ONNX).", valueName: "MODEL"))
    var model: String?

    @Option(name: .customLong("identity-shape"), help: ArgumentHelp("How much of the photo's facial proportions the one-shot swap lays on the target, 0 (the target's geometry, default) to 1 (the photo's eye spacing, nose and mouth placement).", valueName: "S"))
    var identityShape: Float?

    @Option(name: .customLong("max-face-width"), help: ArgumentHelp("One-shot swap: the widest face (pixels) swapped and blended at the frame's own resolution; one more than 7 % wider (a close-up on a 1080p camera) is worked on shrunk to this width and its change scaled back up, which keeps the cost of a 720p face. 64…4096, or 0 = always at the frame's resolution. (default: 256)", valueName: "PX"))
    var maxFaceWidth: Int?

    @OptionGroup var morph: MorphOption

    @Option(help: ArgumentHelp("Arithmetic of a .dfm model's convolutions: fp32, or bf16 (bf16 products, fp32 sums; ~1.7× faster on CPUs with AVX512_BF16, fp32 elsewhere).", valueName: "P"))
    var precision: Precision = .fp32

    @Option(name: .customLong("swap-direction"), help: "Override the model's direction: dst_to_src (default for a swap) or src_to_dst.")
    var swapDirection: SwapDirection?

    @Flag(name: .customLong("model-mouth"), help: "Let a facelive model paint the mouth opening too (default: the target's teeth and tongue are kept, since a young model draws the same mouth in every frame).")
    var modelMouth = false

    func validate() throws {
        if face != nil && model != nil { throw ValidationError("give --face or --model, not both") }
        if swapDirection != nil && model == nil { throw ValidationError("--swap-direction needs --model") }
        if let identityShape {
            if model != nil { throw ValidationError("--identity-shape is for the one-shot swap (--face), not --model") }
            try OptionRange.check(identityShape, "--identity-shape", 0...1)
        }
        if let maxFaceWidth {
            if model != nil { throw ValidationError("--max-face-width is for the one-shot swap (--face), not --model") }
            if maxFaceWidth != 0 { try OptionRange.check(maxFaceWidth, "--max-face-width", 64...4096, unit: " px") }
        }
        if modelMouth && (model.map(isDFM) ?? true) { throw ValidationError("--model-mouth needs --model FILE.safetensors") }
        try morph.check(model: model, needs: "--model FILE.dfm")
        if precision != .fp32 && !(model.map(isDFM) ?? false) { throw ValidationError("--precision needs --model FILE.dfm") }
        if let model, isDFM(model), swapDirection != nil { throw ValidationError("--swap-direction is for facelive models, not .dfm") }
    }

    /// The files this reads, so no output overwrites them.
    var inputFiles: [NamedPath] {
        (face.map { [NamedPath("--face", $0)] } ?? []) + (model.map { [NamedPath("--model", $0)] } ?? [])
    }

    /// The new face for the pipeline; a model is loaded here, so a bad model fails before the input opens.
    func newFace() throws -> FaceSwapPipeline.NewFace {
        if let model {
            return .swapper(try Self.modelSwapper(model, morph: morph.morph, direction: swapDirection, precision: precision,
                                                  keepsTargetMouth: !modelMouth))
        }
        return .photo(path: face)
    }

    /// A facelive model (safetensors) or a DeepFaceLive model (.dfm, ONNX) as a swapper.
    static func modelSwapper(_ path: String, morph: Float? = nil, direction: SwapDirection? = nil,
                             precision: Precision = .fp32, keepsTargetMouth: Bool = true) throws -> any FaceSwapper {
        isDFM(path) ? try DFMSwapper(contentsOf: path, morph: morph, precision: precision)
            : try ModelSwapper(contentsOf: path, direction: direction, keepsTargetMouth: keepsTargetMouth)
    }
}

/// A DeepFaceLive model (ONNX) rather than a facelive safetensors file, by extension.
func isDFM(_ path: String) -> Bool {
    ["dfm", "onnx"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
}

extension SwapperOptions {
    /// The pipeline's stages; a --face photo that cannot be read is named by its option, and the swapper's advice
    /// on it is printed as warnings.
    func stages(of pipeline: FaceSwapPipeline, newFace: FaceSwapPipeline.NewFace) throws -> [any FrameProcessor] {
        do {
            return try pipeline.stages(newFace: newFace) { Terminal.printError("warning: \($0)") }
        } catch let error as StreamError {
            guard let face else { throw error }
            throw ValidationError("cannot use --face \(face): \(error.reason)")
        }
    }
}

extension FaceSwapPipeline {
    /// The face-swap pipeline `run` and `bench` share, from their options. A swapper that fixes its own alignment
    /// (a trained model) refuses alignment flags that contradict it.
    static func from(tracking: FaceTrackingOptions, alignment: AlignmentOptions, swapper: SwapperOptions,
                     swap: SwapOptions, label: String?) throws -> (pipeline: FaceSwapPipeline, newFace: NewFace) {
        if swapper.modelMouth && swap.keepMouth { throw ValidationError("give --keep-mouth or --model-mouth, not both") }
        var pipeline = try tracking.pipeline(defaultMaxFaces: 1)
        let newFace = try swapper.newFace()
        if case .swapper(let given) = newFace, let fixed = given.alignment {
            pipeline.alignment = try alignment.checked(against: fixed, by: "the model")
        } else {
            pipeline.alignment = try alignment.alignment(default: FaceAlignment())
        }
        var settings = pipeline.liveSettings
        if case .swapper(let given) = newFace { settings.relight = given.defaultRelighting }
        swap.apply(to: &settings)
        pipeline.liveSettings = settings
        pipeline.occlusion = swap.occlusionShape
        if let shape = swapper.identityShape { pipeline.oneShot.identityShape = shape }
        if let width = swapper.maxFaceWidth { pipeline.oneShot.maxFaceWidth = width == 0 ? nil : Float(width) }
        pipeline.previewPath = swap.preview
        pipeline.label = label
        return (pipeline, newFace)
    }
}

extension SwapDirection: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {
    /// `--precision` of `train` and `bench-train`.
    static let trainingHelp = ArgumentHelp(
        "Arithmetic of the convolutions: fp32, or bf16 (bf16 products, fp32 sums and weights; on CPUs with AVX512_BF16, fp32 elsewhere).",
        valueName: "P")
}
