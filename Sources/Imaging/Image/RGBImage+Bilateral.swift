import Foundation
import Stream

extension RGBImage {
    /// Edge-preserving smoothing (bilateral filter): each pixel becomes the average of its neighbours within
    /// `radius`, weighted by distance (Gaussian σ `spatialSigma` pixels) and by colour likeness (Gaussian σ
    /// `rangeSigma` on the 0–255 scale, summed over the channels). Noise and compression blocks smaller than
    /// `rangeSigma` fade; edges much stronger than it stay.
    package func bilateralFiltered(radius: Int, spatialSigma: Float, rangeSigma: Float) -> RGBImage {
        guard radius > 0, spatialSigma > 0, rangeSigma > 0 else { return self }
        var spatial: [Float] = []
        for dy in -radius...radius {
            for dx in -radius...radius {
                spatial.append(exp(-Float(dx * dx + dy * dy) / (2 * spatialSigma * spatialSigma)))
            }
        }
        let rangeScale = -1 / (2 * rangeSigma * rangeSigma)
        var out = self
        let (w, h) = (width, height)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        let i = 3 * (y * w + x)
                        let centre = SIMD3(Float(src[i]), Float(src[i + 1]), Float(src[i + 2]))
                        var sum = SIMD3<Float>.zero, total: Float = 0, k = 0
                        for dy in -radius...radius {
                            let yy = min(max(y + dy, 0), h - 1)
                            for dx in -radius...radius {
                                defer { k += 1 }
                                let xx = min(max(x + dx, 0), w - 1)
                                let j = 3 * (yy * w + xx)
                                let p = SIMD3(Float(src[j]), Float(src[j + 1]), Float(src[j + 2]))
                                let d = p - centre
                                let weight = spatial[k] * exp((d * d).sum() * rangeScale)
                                sum += weight * p
                                total += weight
                            }
                        }
                        let v = sum / total
                        dst[i] = UInt8(min(max(v.x.rounded(), 0), 255))
                        dst[i + 1] = UInt8(min(max(v.y.rounded(), 0), 255))
                        dst[i + 2] = UInt8(min(max(v.z.rounded(), 0), 255))
                    }
                }
            }
        }
        return out
    }
}
