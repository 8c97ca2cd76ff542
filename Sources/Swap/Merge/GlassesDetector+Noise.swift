import Imaging
import Stream

/// A noisy camera (a webcam in a dim room) fills the eye band with pixel-sized specks darker and lighter than their
/// surroundings: to the top-hats every skin pixel is then a thin line, every strip reads as crossed, and the merger
/// keeps the target's noisy skin as "glasses" in patches over the new face. The band's luma is smoothed first, as
/// much as its noise needs; a clean camera's is left as it is.
extension EyeBand {
    /// Noise (σ, luma 0…1) above which the luma is smoothed: 2 levels. The shared clips measure 0.2–1.0, the
    /// scanned astronaut photo 2.8 (its grain).
    static let quietNoise: Float = 2 / 255
    /// The smoothing's σ (pixels) per level of noise σ, and its largest: σ 8 levels of noise take σ 2.
    static let smoothingPerLevel: Float = 0.25
    static let maximumSmoothing: Float = 3

    /// The box's luma (0…1), smoothed as its noise needs (``NoiseLevel``).
    func quietLuma(of image: RGBImage) -> AlphaMask {
        let luma = luma(of: image)
        let noise = NoiseLevel.sigma(ofPlane: luma)
        // Faded in over the level above the quiet bound, so a camera whose noise measures about that does not switch
        // the smoothing on and off from frame to frame.
        let fade = min(max((noise - Self.quietNoise) * 255, 0), 1)
        let sigma = fade * min(noise * 255 * Self.smoothingPerLevel, Self.maximumSmoothing)
        guard sigma > 0.1 else { return luma }
        // Normalised at the box's edges: the blur reads zeros past them, which would darken the edges into lines.
        let ones = AlphaMask(width: luma.width, height: luma.height, value: 1)
        let smoothed = NormalisedConvolution.average([luma.values], weight: ones, sigma: sigma) { i, values in values[i] }
        return AlphaMask(width: luma.width, height: luma.height, values: smoothed[0])
    }
}
