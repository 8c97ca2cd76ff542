import Foundation
import Stream

extension RGBImage {
    /// Edge-preserving smoothing (bilateral filter): each pixel becomes the average of its neighbours within
    /// `radius`, weighted by distance (Gaussian σ `spatialSigma` pixels) and by colour likeness (Gaussian σ
    /// `rangeSigma` on the 0–255 scale, summed over the channels). Noise and compression blocks smaller than
    /// `rangeSigma` fade; edges much stronger than it stay.
    ///
    /// With `x`, `y`, `width` and `height` only that part of the image is filtered and returned (its neighbours
    /// outside it still count), the same pixels as that part of the whole image filtered.
    package func bilateralFiltered(radius: Int, spatialSigma: Float, rangeSigma: Float,
                                   x x0: Int = 0, y y0: Int = 0, width rw: Int? = nil, height rh: Int? = nil) -> RGBImage {
        let (rw, rh) = (rw ?? width - x0, rh ?? height - y0)
        precondition(x0 >= 0 && y0 >= 0 && x0 + rw <= width && y0 + rh <= height, "region outside the image")
        guard radius > 0, spatialSigma > 0, rangeSigma > 0 else { return cropped(x: x0, y: y0, width: rw, height: rh) }
        var spatial: [Float] = []
        for dy in -radius...radius {
            for dx in -radius...radius {
                spatial.append(exp(-Float(dx * dx + dy * dy) / (2 * spatialSigma * spatialSigma)))
            }
        }
        let rangeScale = -1 / (2 * rangeSigma * rangeSigma)
        // The colour weight of every squared distance two pixels can be apart (whole numbers up to 3 · 255²), worked
        // out once: an exponential per neighbour was most of the filter's time.
        let range = (0...(3 * 255 * 255)).map { exp(Float($0) * rangeScale) }
        var out = RGBImage(width: rw, height: rh)
        let (w, h) = (width, height)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in y0..<(y0 + rh) {
                    for x in x0..<(x0 + rw) {
                        let i = 3 * (y * w + x)
                        let o = 3 * ((y - y0) * rw + x - x0)
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
                                let weight = spatial[k] * range[Int((d * d).sum())]
                                sum += weight * p
                                total += weight
                            }
                        }
                        let v = sum / total
                        dst[o] = UInt8(min(max(v.x.rounded(), 0), 255))
                        dst[o + 1] = UInt8(min(max(v.y.rounded(), 0), 255))
                        dst[o + 2] = UInt8(min(max(v.z.rounded(), 0), 255))
                    }
                }
            }
        }
        return out
    }
}
