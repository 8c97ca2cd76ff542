import Imaging
import Stream

/// Reinhard et al. 2001 colour transfer in L*a*b*, statistics weighted by the mask.
enum ReinhardTransfer {
    /// Statistics read every `statisticsStep`-th pixel of every `statisticsStep`-th row: a face holds tens of
    /// thousands of pixels, a quarter of them pins mean and deviation far below a grey level.
    static let statisticsStep = 2
    /// Limits of the per-channel contrast change: a flat photo (black-and-white, colourised) would otherwise have its
    /// noise amplified into blotches.
    static let gainRange: ClosedRange<Float> = 0.5...1.6

    static func apply(to image: inout RGBImage, reference: RGBImage, mask: AlphaMask) {
        let lab = LabColor()
        var source = WeightedMoments(), target = WeightedMoments()
        image.pixels.withUnsafeBufferPointer { src in
            reference.pixels.withUnsafeBufferPointer { ref in
                forEachMasked(mask, above: ColorTransfer.statisticsThreshold, step: statisticsStep) { i, w in
                    source.add(lab.lab(src[3 * i], src[3 * i + 1], src[3 * i + 2]), weight: w, full: false)
                    target.add(lab.lab(ref[3 * i], ref[3 * i + 1], ref[3 * i + 2]), weight: w, full: false)
                }
            }
        }
        guard source.weight > 0 else { return }
        let map = ReinhardMapping(from: ChannelStatistics(source), to: ChannelStatistics(target), gainRange: gainRange)
        image.pixels.withUnsafeMutableBufferPointer { dst in
            lab.transform(dst.baseAddress!, mask: mask, above: ColorTransfer.recolourThreshold, gain: map.gain, offset: map.offset)
        }
    }
}
