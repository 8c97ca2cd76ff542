import Face
import Imaging
import Stream

/// Swaps every analysed face of a frame and blends it back: align (when the swapper works on a crop), swap,
/// optionally smooth over time, merge (cutting out the frame's ``FaceOcclusion``, when a hand stage attached one).
/// Measures the flicker of the faces it merges (``measurements``).
///
/// It needs the ``FaceAnalysisStage`` before it (``FaceSwapPipeline`` assembles both); a frame without an analysis
/// is an error, not a silent pass-through.
public final class FaceSwapStage: FrameProcessor {
    public let name = "faceswap"
    private var swapper: any FaceSwapper
    /// The crop for swappers without an alignment of their own.
    private let alignment: FaceAlignment
    private var aligner: FaceAligner
    /// Whether the swapper needs the aligned crop (otherwise faces are aligned only for the preview).
    private var swapperAligns: Bool
    private var merger: FaceMerger
    private var preview: FacePreview?
    private var smoother: TemporalFaceSmoother?
    private var flicker = SwapFlickerStatistics()
    private var glasses = TrackMemory<GlassesTrack>()
    private let control: LiveSwapControl?
    private var controlGeneration = 0
    private var swapperGeneration = 0
    private var bypass = false
    /// Whether the frame's occluders (hands) are cut out of the faces.
    private var occludes = true
    private var lastStageImages: ContinuousClock.Instant?

    /// - Parameters:
    ///   - alignment: how faces are cut out; must equal the swapper's own ``FaceSwapper/alignment`` when it has one.
    ///   - smoothing: temporal smoothing of the swapped faces; nil = off.
    ///   - preview: writes a side-by-side picture of the first frame that has a face.
    ///   - control: settings and new faces changed while running; read once per frame.
    public init(swapper: any FaceSwapper, alignment: FaceAlignment, merger: FaceMerger,
                smoothing: TemporalFaceSmoother.Options? = nil, preview: FacePreview? = nil,
                control: LiveSwapControl? = nil) {
        precondition(swapper.alignment == nil || swapper.alignment == alignment, "the swapper fixes its own alignment")
        self.swapper = swapper
        self.alignment = alignment
        self.aligner = FaceAligner(alignment: alignment)
        self.swapperAligns = swapper.alignment != nil
        self.merger = merger
        self.smoother = smoothing.map(TemporalFaceSmoother.init)
        self.preview = preview
        self.control = control
    }

    /// Takes in what the control changed since the last frame.
    private func applyControl() {
        guard let update = control?.update(newerThan: controlGeneration) else { return }
        controlGeneration = update.generation
        let settings = update.settings
        bypass = settings.bypass
        occludes = settings.occlusion == .hands
        var options = merger.options
        settings.apply(to: &options)
        if options != merger.options { merger = FaceMerger(options: options) }
        var newFace = false
        if let replacement = update.swapper, update.swapperGeneration != swapperGeneration {
            swapperGeneration = update.swapperGeneration
            swapper = replacement
            // A trained model cuts faces as it was trained; a photo swap uses the pipeline's crop.
            aligner = FaceAligner(alignment: replacement.alignment ?? alignment)
            swapperAligns = replacement.alignment != nil
            newFace = true
        }
        let smoothing = settings.temporalSmoothingOptions
        if newFace || smoothing != smoother?.options { smoother = smoothing.map(TemporalFaceSmoother.init) }
    }

    /// Whether to attach this frame's stage pictures for the control panel (at most 10 per second).
    private func wantsStageImages() -> Bool {
        guard let control, control.stageImagesWanted else { return false }
        let now = ContinuousClock.now
        if let last = lastStageImages, now - last < .milliseconds(100) { return false }
        lastStageImages = now
        return true
    }

    /// Flicker of the swapped faces: `flicker` (mean absolute frame-to-frame change in aligned space, 0–255),
    /// `target_change` (the same for the target's crop), smoothing figures (see ``TemporalFaceSmoother``).
    public var measurements: [String: Double] {
        var figures = flicker.measurements(smoother: smoother)
        if mergedFaces > 0 { figures["glasses_kept_share"] = Double(glassesKept) / Double(mergedFaces) }
        figures["glasses_evidence"] = glassesEvidence.mean
        return figures
    }
    /// Faces merged, and how many of them kept the target's glasses.
    private var mergedFaces = 0, glassesKept = 0
    /// Mean glasses evidence at the nose bridge (0…1) over the faces looked at.
    private var glassesEvidence = MeanAccumulator()

    public func process(_ frame: VideoFrame) throws {
        defer {
            smoother?.endFrame()
            flicker.endFrame()
            glasses.endFrame()
        }
        applyControl()
        guard let analysis = frame[attachment: FaceAnalysis.self] else { throw FaceSwapStageError.missingAnalysis }
        var records: [FaceSwapRecord] = []
        defer { frame[attachment: FrameSwapRecord.self] = FrameSwapRecord(faces: records) }
        guard !analysis.faces.isEmpty, !bypass else { return }
        let stageImages = wantsStageImages()
        let showing = preview != nil || stageImages
        // Every face is swapped from the untouched picture first, then all are merged into the frame in place: the
        // picture is not copied (6 MB a frame at 1080p, 100 MB at 8K) unless the preview or the panel shows it.
        let shown = try swapFaces(analysis.faces, of: frame, into: &records, keeping: showing)
        // Hands (or other occluders) found on this frame stay in front of every face.
        let occluders = occludes ? frame[attachment: FaceOcclusion.self]?.masks ?? [] : []
        try frame.modifyImage { output in
            for record in records {
                guard let swapped = record.swapped else { continue }
                var track = glasses[record.trackID] ?? GlassesTrack()
                frame.measure("merge") {
                    merger.merge(swapped, landmarks: record.landmarks, occluders: occluders, into: &output, glasses: &track)
                }
                glasses.store(track, for: record.trackID)
                mergedFaces += 1
                if track.shown > 0 { glassesKept += 1 }
                if let e = track.evidence { glassesEvidence.add(Double(e)) }
            }
        }
        guard let shown else { return }
        if stageImages {
            frame[attachment: FaceStageImages.self] = FaceStageImages(source: shown.original, aligned: shown.aligned,
                                                                      swapped: shown.swapped)
        }
        if let preview {
            try preview.write([("source", shown.original), ("aligned", shown.aligned), ("swapped", shown.swapped),
                               ("merged", try frame.image)])
            self.preview = nil
        }
    }

    /// Aligns (when needed), swaps and smooths each face from the frame's picture as decoded, one record per face.
    /// With `keeping`, returns the picture and the first swapped face's crops for the preview and the panel.
    private func swapFaces(_ faces: [TrackedFace], of frame: VideoFrame, into records: inout [FaceSwapRecord],
                           keeping: Bool) throws -> (original: RGBImage, aligned: RGBImage, swapped: RGBImage)? {
        let original = try frame.image
        var shown: (original: RGBImage, aligned: RGBImage, swapped: RGBImage)?
        for face in faces {
            guard let landmarks = face.landmarks else { continue }
            let pose = HeadPose(landmarks: landmarks)
            var record = FaceSwapRecord(trackID: face.id, landmarks: landmarks, pose: pose)
            defer { records.append(record) }
            let aligned = swapperAligns || (shown == nil && keeping)
                ? try frame.measure("align") { () throws(FaceAlignerError) in try aligner.align(original, landmarks: landmarks, pose: pose) }
                : nil
            record.aligned = aligned
            let input = FaceSwapInput(frame: original, landmarks: landmarks, pose: pose, aligned: swapperAligns ? aligned : nil,
                                      trackID: face.id)
            guard let raw = try frame.measure("swap", { try swapper.swap(input) }) else { continue }
            let smoothed = smoother == nil ? nil : frame.measure("smooth") { smoother!.smooth(raw, trackID: face.id) }
            flicker.record(target: swapperAligns ? aligned : nil, swapped: raw, smoothed: smoothed, trackID: face.id)
            let swapped = smoothed ?? raw
            record.swapped = swapped
            if shown == nil, keeping, let aligned { shown = (original, aligned.image, swapped.image) }
        }
        return shown
    }
}

/// Why the swap stage could not run.
public enum FaceSwapStageError: Error, Equatable, CustomStringConvertible {
    /// A frame reached the swap stage without the analysis stage's faces.
    case missingAnalysis

    public var description: String {
        switch self {
        case .missingAnalysis: "the face-swap stage got a frame without face analysis: put the analysis stage before it"
        }
    }
}
