import Face
/// The flicker figures of a swap run (``FaceSwapStage/measurements``): of the faces merged, of the swapper's own
/// faces before temporal smoothing, and of the target's own aligned crop, the yardstick (how much the real face
/// changes from frame to frame under the same mask).
struct SwapFlickerStatistics: Sendable {
    private var merged = FlickerMeter()
    private var unsmoothed = FlickerMeter()
    private var target = FlickerMeter()

    /// Takes one face of the current frame: the target's aligned crop (nil when the swapper works in frame space),
    /// the swapper's face, and its temporally smoothed version when smoothing is on (the face that is merged).
    mutating func record(target crop: AlignedFace?, swapped: SwappedFace, smoothed: SwappedFace?, trackID: Int?) {
        merged.observe(smoothed ?? swapped, trackID: trackID)
        // Without smoothing the merged face is the swapper's own: measuring it twice would cost a second pass.
        if smoothed != nil { unsmoothed.observe(swapped, trackID: trackID) }
        if let crop, crop.image.width == swapped.image.width, crop.image.height == swapped.image.height {
            target.observe(SwappedFace(image: crop.image, mask: swapped.mask, toFrame: crop.alignedToImage), trackID: trackID)
        }
    }

    /// Ends a frame (tracks without a face on it start afresh).
    mutating func endFrame() {
        merged.endFrame()
        unsmoothed.endFrame()
        target.endFrame()
    }

    /// `flicker`, `mask_flicker` (mean absolute frame-to-frame change of the merged faces in swap space, 0–255),
    /// `flicker_pairs`, `target_change` (the target's crop); with a smoother also `flicker_unsmoothed`,
    /// `mask_flicker_unsmoothed`, `smoothing_lag` (mean |smoothed − unsmoothed|) and `smoothing_resets`.
    func measurements(smoother: TemporalFaceSmoother?) -> [String: Double] {
        var figures: [String: Double] = ["flicker_pairs": Double(merged.pairs)]
        figures["flicker"] = merged.meanChange
        figures["mask_flicker"] = merged.meanMaskChange
        figures["target_change"] = target.meanChange
        if let smoother {
            figures["flicker_unsmoothed"] = unsmoothed.meanChange
            figures["mask_flicker_unsmoothed"] = unsmoothed.meanMaskChange
            figures["smoothing_lag"] = smoother.meanLag
            figures["smoothing_resets"] = Double(smoother.motionResets)
        }
        return figures
    }
}
