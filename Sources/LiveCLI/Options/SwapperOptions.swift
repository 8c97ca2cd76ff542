import ArgumentParser
import Stream
import Swap

/// Which new face to paint: a photo (one-shot mesh swap); trained models plug in here too.
struct SwapperOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Photo of the new face (one-shot mesh swap); default: the shipped public-domain astronaut portrait.", valueName: "PHOTO"))
    var face: String?

    @Option(help: ArgumentHelp("A model trained with 'facelive train' (safetensors).", valueName: "MODEL"))
    var model: String?

    @Option(name: .customLong("swap-direction"), help: "Override the model's direction: dst_to_src (default for a swap) or src_to_dst.")
    var swapDirection: SwapDirection?

    func validate() throws {
        if face != nil && model != nil { throw ValidationError("give --face or --model, not both") }
        if swapDirection != nil && model == nil { throw ValidationError("--swap-direction needs --model") }
    }

    /// The files this reads, so no output overwrites them.
    var inputFiles: [NamedPath] {
        (face.map { [NamedPath("--face", $0)] } ?? []) + (model.map { [NamedPath("--model", $0)] } ?? [])
    }

    func makeSwapper(locator: ModelLocator, landmarker: FaceLandmarker) throws -> any FaceSwapper {
        if let model { return try ModelSwapper(contentsOf: model, direction: swapDirection) }
        let photo = try face ?? locator.url(forFile: "astronaut_public_domain.png").path
        do {
            return try MeshSwapper.fromPhoto(photo, landmarker: landmarker, locator: locator)
        } catch let error as StreamError {
            throw ValidationError("cannot use --face \(photo): \(error.reason)")
        }
    }
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
