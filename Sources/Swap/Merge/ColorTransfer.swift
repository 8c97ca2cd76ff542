import Imaging
import Stream

/// How the swapped face is recoloured to the frame's face before blending.
public enum ColorTransfer: String, Sendable, CaseIterable {
    /// Keep the swapped colours.
    case none
    /// Reinhard transfer: per-channel mean and standard deviation in L*a*b*.
    case rct
    /// Linear transfer: RGB mean and covariance matched (PCA square roots).
    case lct

    /// Recolours `image` so that its statistics under `mask` match those of `reference` under the same mask.
    ///
    /// Statistics come from the solid part of the mask only (values ≥ ``statisticsThreshold``, weighted by the
    /// value): feathered rims blend into whatever surrounds the face and holes (eyes, mouth) are cut out, so the
    /// colours measured are skin on both sides. Every pixel with a mask value above ``recolourThreshold`` is changed,
    /// the rest stay bit-identical.
    public func apply(to image: inout RGBImage, reference: RGBImage, mask: AlphaMask) {
        precondition(image.width == reference.width && image.height == reference.height, "image sizes differ")
        precondition(image.width == mask.width && image.height == mask.height, "mask size differs from image")
        switch self {
        case .none: return
        case .rct: ReinhardTransfer.apply(to: &image, reference: reference, mask: mask)
        case .lct: LinearColorTransfer.apply(to: &image, reference: reference, mask: mask)
        }
    }
}

extension ColorTransfer {
    /// Mask value from which a pixel counts in the colour statistics.
    public static let statisticsThreshold: Float = 0.5
    /// Mask value above which a pixel is recoloured (what the merger's paste-back shows: 1/255).
    public static let recolourThreshold: Float = 1 / 255
}

/// Visits every `step`-th pixel of every `step`-th row whose mask value is above `threshold`:
/// `body(pixelIndex, maskValue)`, within the mask's bounding box.
@inline(__always)
func forEachMasked(_ mask: AlphaMask, above threshold: Float, step: Int = 1, _ body: (Int, Float) -> Void) {
    guard let box = mask.support(above: threshold) else { return }
    mask.values.withUnsafeBufferPointer { m in
        for y in stride(from: box.y0, through: box.y1, by: step) {
            for x in stride(from: box.x0, through: box.x1, by: step) {
                let i = y * mask.width + x
                if m[i] > threshold { body(i, m[i]) }
            }
        }
    }
}
