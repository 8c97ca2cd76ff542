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
    /// Σ w·v², and Σ w·(v.x·v.y, v.x·v.z, v.y·v.z).
    var squares = SIMD3<Double>.zero
    var products = SIMD3<Double>.zero

    @inline(__always)
    mutating func add(_ v: SIMD3<Float>, weight w: Float, full: Bool) {
        let d = SIMD3<Double>(v), wd = Double(w)
        weight += wd
        let wv = wd * d
        sum += wv
        squares += wv * d
        if full { products += SIMD3(wv.x, wv.x, wv.y) * SIMD3(d.y, d.z, d.z) }
    }

    var mean: SIMD3<Double> { weight > 0 ? sum / weight : .zero }

    /// Covariance, row-major 3×3.
    var covariance: [Double] {
        guard weight > 0 else { return [Double](repeating: 0, count: 9) }
        let m = mean
        let sq = squares / weight - m * m
        let pr = products / weight - SIMD3(m.x * m.y, m.x * m.z, m.y * m.z)
        return [sq.x, pr.x, pr.y, pr.x, sq.y, pr.z, pr.y, pr.z, sq.z]
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
