import Face
import Stream

/// Assembles the face-swap stages in pipeline order — analyse (detect, landmarks, track), hands (near faces, for
/// occlusion), swap (align, swap, smooth, merge), label — from plain settings, so that commands only parse options.
/// `run`, `bench` and the control panel build their stages here; `detect` uses ``analysisStage()``,
/// ``handStage(area:shape:)`` and ``alignmentPreviewStage()``.
public struct FaceSwapPipeline: Sendable {
    /// Where the new face comes from.
    public enum NewFace: Sendable {
        /// One-shot mesh swap from a photo; nil = the public-domain astronaut portrait shipped with facelive.
        case photo(path: String?)
        /// A swapper built elsewhere (a trained model).
        case swapper(any FaceSwapper)
    }

    /// Which detector runs, and how.
    public var detectorModel: FaceDetector.Model = .fullRange
    public var detector = FaceDetector.Options()
    public var tracker = FaceTracker.Options()
    /// The crop for swappers that work in frame space (the one-shot swap): it is what the preview shows and where
    /// flicker is measured. A swapper with an ``FaceSwapper/alignment`` of its own uses that instead.
    public var alignment = FaceAlignment()
    public var merger = FaceMerger.Options()
    /// How a photo's new face is laid on the target (the one-shot swap).
    public var oneShot = MeshSwapper.Options()
    /// How tracked hands are cut out of every face so they stay in front; nil = no hand tracking.
    public var occlusion: HandShape? = HandShape()
    /// Temporal smoothing of the swapped faces; nil = off.
    public var temporalSmoothing: TemporalFaceSmoother.Options?
    /// A side-by-side PNG of the first frame with a face: source | aligned | swapped | merged for the swap,
    /// source | each aligned crop for ``alignmentPreviewStage()``.
    public var previewPath: String?
    /// A visible label burned into every frame.
    public var label: String?
    /// Where the face models are found.
    public var locator = ModelLocator()
    /// Settings changed while running (the control panel); nil = fixed. The stages start from its settings.
    public var control: LiveSwapControl?

    public init() {}

    /// The settings here that may change while running, as the control panel starts from them.
    public var liveSettings: LiveSwapSettings {
        get {
            var settings = LiveSwapSettings()
            settings.erode = merger.erodePixels
            settings.blur = merger.blurSigma
            settings.colorTransfer = merger.colorTransfer
            settings.relight = merger.relighting.strength
            settings.grain = merger.grain.strength
            settings.blend = merger.blend
            settings.keepGlasses = merger.keepGlasses
            settings.keepHair = merger.keepHair
            settings.occlusion = occlusion == nil ? .none : .hands
            settings.opacity = merger.opacity
            settings.keepMouth = merger.keepOriginalMouth
            settings.keepEyes = merger.keepOriginalEyes
            settings.temporalSmoothing = temporalSmoothing?.strength ?? 0
            settings.temporalReset = temporalSmoothing?.resetMotion ?? settings.temporalReset
            settings.threshold = detector.scoreThreshold
            settings.faces = tracker.selection
            settings.maxFaces = tracker.maxFaces
            settings.detectEvery = tracker.detectionInterval
            settings.noSmoothing = !tracker.smoothing.filter.isEnabled
            settings.smoothMinCutoff = tracker.smoothing.filter.minCutoff
            settings.smoothBeta = tracker.smoothing.filter.beta
            return settings
        }
        set {
            newValue.apply(to: &merger)
            switch newValue.occlusion {
            case .none: occlusion = nil
            case .hands: occlusion = occlusion ?? HandShape()
            }
            temporalSmoothing = newValue.temporalSmoothingOptions
            newValue.apply(to: &detector, tracker: &tracker)
        }
    }

    /// The analysis stage alone (detect, landmarks, track).
    public func analysisStage() throws -> FaceAnalysisStage {
        try analysisStage(landmarker: FaceLandmarker(locator: locator))
    }

    /// A hand stage searching `area`, drawing the ``FaceOcclusion`` with `shape` (nil: hands only, no occlusion).
    public func handStage(area: HandSearchArea, shape: HandShape?) throws -> HandTrackingStage {
        HandTrackingStage(detector: try PalmDetector(locator: locator), landmarker: try HandLandmarker(locator: locator),
                          area: area, shape: shape)
    }

    /// The stage that writes the first analysed frame's aligned crops to ``previewPath`` (`detect --preview`), cut
    /// with ``alignment``; nil without a preview path.
    public func alignmentPreviewStage() -> AlignmentPreviewStage? {
        previewPath.map { AlignmentPreviewStage(alignment: alignment, preview: FacePreview(path: $0)) }
    }

    private func analysisStage(landmarker: FaceLandmarker) throws -> FaceAnalysisStage {
        FaceAnalysisStage(detector: try FaceDetector(model: detectorModel, options: detector, locator: locator),
                          landmarker: landmarker, tracker: FaceTracker(options: tracker),
                          liveOptions: control?.analysisOptions)
    }

    /// The swapper for `newFace` (a photo is read and its face found here); the control panel builds new faces
    /// with it while the pipeline runs.
    public func swapper(for newFace: NewFace) throws -> any FaceSwapper {
        try swapper(for: newFace, landmarker: FaceLandmarker(locator: locator))
    }

    private func swapper(for newFace: NewFace, landmarker: FaceLandmarker) throws -> any FaceSwapper {
        switch newFace {
        case .photo(let path):
            let photo = try path ?? locator.url(forFile: "astronaut_public_domain.png").path
            return try MeshSwapper.fromPhoto(photo, landmarker: landmarker, locator: locator, options: oneShot)
        case .swapper(let given):
            return given
        }
    }

    /// Every stage of the face swap with `newFace`, in order. The photo is read here, so a bad photo fails before
    /// any input is opened; `advise` hears the swapper's ``FaceSwapper/advice`` on it.
    public func stages(newFace: NewFace, advise: (String) -> Void = { _ in }) throws -> [any FrameProcessor] {
        let landmarker = try FaceLandmarker(locator: locator)
        let analysis = try analysisStage(landmarker: landmarker)
        let swapper = try self.swapper(for: newFace, landmarker: landmarker)
        swapper.advice.forEach(advise)
        var stages: [any FrameProcessor] = [analysis]
        if let occlusion { stages.append(try handStage(area: .occlusion, shape: occlusion)) }
        stages += [
            FaceSwapStage(swapper: swapper, alignment: swapper.alignment ?? alignment, merger: FaceMerger(options: merger),
                          smoothing: temporalSmoothing, preview: previewPath.map(FacePreview.init), control: control),
        ]
        if let label { stages.append(LabelStage(text: label)) }
        return stages
    }
}
