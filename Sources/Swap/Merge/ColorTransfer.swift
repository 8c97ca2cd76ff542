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
    /// Statistics are weighted by the mask value (pixels outside count zero times); only pixels inside the mask
    /// are changed.
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

/// Mask-weighted first and second moments of a pixel quantity.
struct WeightedMoments<V: SIMD & Sendable>: Sendable where V.Scalar == Float {
    var weight: Double = 0
    var sum = SIMD3<Double>.zero
    /// Σ w·v·vᵀ, row-major 3×3.
    var outer = [Double](repeating: 0, count: 9)

    mutating func add(_ v: SIMD3<Float>, weight w: Float, full: Bool) {
        let d = SIMD3<Double>(v), wd = Double(w)
        weight += wd
        sum += wd * d
        if full {
            for i in 0..<3 { for j in 0..<3 { outer[3 * i + j] += wd * d[i] * d[j] } }
        } else {
            for i in 0..<3 { outer[4 * i] += wd * d[i] * d[i] }
        }
    }

    var mean: SIMD3<Double> { weight > 0 ? sum / weight : .zero }

    /// Covariance, row-major 3×3.
    var covariance: [Double] {
        guard weight > 0 else { return [Double](repeating: 0, count: 9) }
        let m = mean
        return (0..<9).map { k in outer[k] / weight - m[k / 3] * m[k % 3] }
    }
}

/// Visits every pixel whose mask value is positive: `body(pixelIndex, maskValue)`, bounding box only.
@inline(__always)
func forEachMasked(_ mask: AlphaMask, _ body: (Int, Float) -> Void) {
    guard let box = mask.support() else { return }
    mask.values.withUnsafeBufferPointer { m in
        for y in box.y0...box.y1 {
            for x in box.x0...box.x1 {
                let i = y * mask.width + x
                if m[i] > 0 { body(i, m[i]) }
            }
        }
    }
}
