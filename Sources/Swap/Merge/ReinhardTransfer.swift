import Stream

/// Reinhard et al. 2001 colour transfer in L*a*b*, statistics weighted by the mask.
enum ReinhardTransfer {
    static func apply(to image: inout RGBImage, reference: RGBImage, mask: AlphaMask) {
        let lab = LabColor()
        var source = WeightedMoments<SIMD3<Float>>(), target = WeightedMoments<SIMD3<Float>>()
        var labs = [SIMD3<Float>](repeating: .zero, count: image.width * image.height)
        image.pixels.withUnsafeBufferPointer { src in
            reference.pixels.withUnsafeBufferPointer { ref in
                forEachMasked(mask) { i, w in
                    let s = lab.lab(src[3 * i], src[3 * i + 1], src[3 * i + 2])
                    labs[i] = s
                    source.add(s, weight: w, full: false)
                    // The reference's statistics from every other pixel of every other row: a quarter of the cost.
                    if i & 1 == 0, (i / image.width) & 1 == 0 {
                        target.add(lab.lab(ref[3 * i], ref[3 * i + 1], ref[3 * i + 2]), weight: w, full: false)
                    }
                }
            }
        }
        guard source.weight > 0 else { return }
        let cs = source.covariance, ct = target.covariance
        let sdS = SIMD3(cs[0], cs[4], cs[8]).squareRoot(), sdT = SIMD3(ct[0], ct[4], ct[8]).squareRoot()
        let gain = SIMD3<Float>(sdT / (sdS + 1e-6))
        let ms = SIMD3<Float>(source.mean), mt = SIMD3<Float>(target.mean)
        image.pixels.withUnsafeMutableBufferPointer { dst in
            forEachMasked(mask) { i, _ in
                let c = lab.rgb((labs[i] - ms) * gain + mt) + 0.5
                dst[3 * i] = UInt8(c.x)
                dst[3 * i + 1] = UInt8(c.y)
                dst[3 * i + 2] = UInt8(c.z)
            }
        }
    }
}
