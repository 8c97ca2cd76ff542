import Foundation
import ArgumentParser
import Stream
import Swap

/// Which new face to paint: a photo (one-shot mesh swap); trained models plug in here too.
struct SwapperOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Photo of the new face (one-shot mesh swap); default: the shipped public-domain astronaut portrait.", valueName: "PHOTO"))
    var face: String?

    @Option(help: ArgumentHelp("A model trained with 'facelive train' (safetensors), or a DeepFaceLive model (.dfm, ONNX).", valueName: "MODEL"))
    var model: String?

    @Option(help: ArgumentHelp("Morph factor of a .dfm AMP model: how much of the new identity, 0…1 (DeepFaceLive's default 0.75).", valueName: "M"))
    var morph: Float?

    @Option(name: .customLong("swap-direction"), help: "Override the model's direction: dst_to_src (default for a swap) or src_to_dst.")
    var swapDirection: SwapDirection?

    func validate() throws {
        if face != nil && model != nil { throw ValidationError("give --face or --model, not both") }
        if swapDirection != nil && model == nil { throw ValidationError("--swap-direction needs --model") }
        if let morph {
            guard let model, isDFM(model) else { throw ValidationError("--morph needs --model FILE.dfm") }
            guard morph >= 0 && morph <= 1 else { throw ValidationError("--morph must be between 0 and 1") }
        }
        if let model, isDFM(model), swapDirection != nil { throw ValidationError("--swap-direction is for facelive models, not .dfm") }
    }

    func makeSwapper(locator: ModelLocator, landmarker: FaceLandmarker) throws -> any FaceSwapper {
        if let model, isDFM(model) { return try DFMSwapper(contentsOf: model, morph: morph) }
        if let model { return try ModelSwapper(contentsOf: model, direction: swapDirection) }
        let photo = try face ?? locator.url(forFile: "astronaut_public_domain.png").path
        return try MeshSwapper.fromPhoto(photo, landmarker: landmarker, locator: locator)
    }
}

/// A DeepFaceLive model (ONNX) rather than a facelive safetensors file, by extension.
func isDFM(_ path: String) -> Bool {
    ["dfm", "onnx"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
}

/// The face-swap stages `run` and `bench` share: analyse (detect, landmarks, track), then swap and blend.
func faceSwapStages(tracking: FaceTrackingOptions, swapper swapperOptions: SwapperOptions, swap: SwapOptions,
                    label: String?) throws -> [any FrameProcessor] {
    let locator = tracking.locator
    let landmarker = try FaceLandmarker(locator: locator)
    let swapper = try swapperOptions.makeSwapper(locator: locator, landmarker: landmarker)
    var stages: [any FrameProcessor] = [
        FaceAnalysisStage(detector: try tracking.makeDetector(), landmarker: landmarker,
                          tracker: try tracking.makeTracker(defaultMaxFaces: 1)),
        FaceSwapStage(swapper: swapper, merger: swap.merger, smoothing: swap.temporalSmoothingOptions,
                      preview: swap.preview.map(FacePreview.init)),
    ]
    if let label { stages.append(LabelStage(text: label)) }
    return stages
}

extension SwapDirection: ExpressibleByArgument {}
