import Stream

/// Swaps every analysed face of a frame and blends it back: align (when the swapper works on a crop), swap,
/// optionally smooth over time, merge. Measures the flicker of the faces it merges (``measurements``).
public final class FaceSwapStage: FrameProcessor {
    public let name = "faceswap"
    private let swapper: any FaceSwapper
    private let aligner: FaceAligner?
    private let merger: FaceMerger
    private var preview: FacePreview?
    private var smoother: TemporalFaceSmoother?
    private var flicker = SwapFlickerStatistics()

    /// - Parameters:
    ///   - smoothing: temporal smoothing of the swapped faces; nil = off.
    ///   - preview: writes a side-by-side picture of the first frame that has a face.
    public init(swapper: any FaceSwapper, merger: FaceMerger, smoothing: TemporalFaceSmoother.Options? = nil,
                preview: FacePreview? = nil) {
        self.swapper = swapper
        self.aligner = swapper.alignment.map { FaceAligner(options: $0) }
        self.merger = merger
        self.smoother = smoothing.map(TemporalFaceSmoother.init)
        self.preview = preview
    }

    /// Flicker of the swapped faces: `flicker` (mean absolute frame-to-frame change in aligned space, 0–255),
    /// `target_change` (the same for the target's crop), smoothing figures (see ``TemporalFaceSmoother``).
    public var measurements: [String: Double] { flicker.measurements(smoother: smoother) }

    public func process(_ frame: VideoFrame) throws {
        defer {
            smoother?.endFrame()
            flicker.endFrame()
        }
        guard let analysis = frame[attachment: FaceAnalysis.self], !analysis.faces.isEmpty else { return }
        let original = try frame.image
        var output = original
        var shown: (aligned: RGBImage, swapped: RGBImage)?
        for face in analysis.faces {
            guard let landmarks = face.landmarks else { continue }
            let pose = HeadPose(landmarks: landmarks)
            let aligned = try aligner.map { aligner in
                try frame.measure("align") { () throws(FaceAlignerError) in
                    try aligner.align(original, landmarks: landmarks, pose: pose)
                }
            }
            let input = FaceSwapInput(frame: original, landmarks: landmarks, pose: pose, aligned: aligned, trackID: face.id)
            guard let raw = try frame.measure("swap", { try swapper.swap(input) }) else { continue }
            let smoothed = smoother == nil ? nil : frame.measure("smooth") { smoother!.smooth(raw, trackID: face.id) }
            flicker.record(target: aligned, swapped: raw, smoothed: smoothed, trackID: face.id)
            let swapped = smoothed ?? raw
            frame.measure("merge") { merger.merge(swapped, landmarks: landmarks, into: &output) }
            if shown == nil, preview != nil {
                let crop = aligned?.image ?? ImageWarper.warp(original, width: swapped.image.width,
                                                              height: swapped.image.height, outputToSource: swapped.toFrame)
                shown = (crop, swapped.image)
            }
        }
        frame.setImage(output)
        if let shown, let preview {
            try preview.write(source: original, aligned: shown.aligned, swapped: shown.swapped, merged: output)
            self.preview = nil
        }
    }
}
