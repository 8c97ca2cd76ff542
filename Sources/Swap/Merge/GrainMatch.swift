import Imaging
import Stream

/// The camera's grain on the new face, as compositors match a plate's grain: a swapped face is cleaner than the skin
/// the camera filmed (a photo resampled onto the target has none of the frame's sensor noise; a trained decoder
/// paints smooth skin), and a clean face in a grainy frame reads as pasted on — most of all from a webcam in a dim
/// room. Where the target's noise (``NoiseLevel``, in luma over the face's interior) is above the new face's,
/// synthetic grain makes up the difference (independent noises add in quadrature). In luma only: a video's chroma
/// is stored at half resolution, so its grain is the luma's.
///
/// The grain is drawn, not copied: the target's own fine texture would bring its creases, pores and moles, which a
/// face recogniser reads as the target (copying it, clipped to three times its median, took the astronaut's share
/// on talk_studio_2 from 0.44 to 0.20; docs/BENCHMARKS.md, "Session 35"). Each value comes from a hash of the pixel's
/// place and the frame's colours there, so it changes from frame to frame as a camera's noise does (not where the
/// frame itself stands still: a clipped highlight, a still picture), and the same input gives the same output.
///
/// In frame pixels only (a swap box at the frame's resolution, the one-shot swap's): a trained model's crop or a
/// shrunk box is resampled on its way to the frame, which would smear white grain into blotches.
public struct GrainMatch: Sendable, Equatable {
    /// Share of the missing noise σ that is added: 0 = off, 1 = as much as the target's.
    public var strength: Float
    /// Share of the mask's top level from which a pixel is the new face in full and counts for the measurement.
    static let interior: Float = 0.9
    /// Pixels needed to measure (fewer: nothing is added).
    static let minimumPixels = 64
    /// The share of the target's noise σ the face is brought to (the estimates differ by a few per cent).
    static let matched: Float = 0.95
    /// Noise σ (levels) taken off what is missing, so nothing is added below it: the estimate's floor on 8-bit
    /// video (a clean camera's noise measures 0.3–0.5, its rounding), where grain would only cost time.
    static let floor: Float = 0.75

    public init(strength: Float = 1) {
        self.strength = strength
    }

    /// Adds grain to `face` where `mask` (the blend's, 0…1) reaches, outside `spare` (openings painted from the
    /// target, which have its noise already), as much as the face has less noise than `target` (the frame under the
    /// face, not resampled: resampling smooths noise). Returns the grain's σ (levels; 0 when none was added).
    @discardableResult
    func apply(to face: inout RGBImage, target: RGBImage, mask: AlphaMask, spare: AlphaMask? = nil) -> Float {
        precondition(face.width == target.width && face.height == target.height, "image sizes differ")
        precondition(mask.width == face.width && mask.height == face.height, "mask size differs")
        precondition(spare.map { $0.width == face.width && $0.height == face.height } ?? true, "spare size differs")
        guard strength > 0, let box = mask.support(above: FacePaste.threshold) else { return 0 }
        let w = face.width
        // The interior: the mask's top level, less a tenth (an opacity below 1 lowers the whole mask); the noise is
        // measured there, off the image's outer pixels.
        let top = mask.values.withUnsafeBufferPointer { m in
            var top: Float = 0
            for y in box.y0...box.y1 { for x in box.x0...box.x1 { top = max(top, m[y * w + x]) } }
            return top
        }
        let interior = Self.interior * min(top, 1)
        let (xa, xb, ya, yb) = (max(box.x0, 1), min(box.x1, w - 2), max(box.y0, 1), min(box.y1, face.height - 2))
        guard xa <= xb, ya <= yb else { return 0 }
        // In luma: a video's chroma is stored at half resolution, so its grain is the luma's. Every third pixel each
        // way: the median of a ninth of them (thousands) is as steady.
        func noise(of image: RGBImage) -> NoiseLevel {
            var level = NoiseLevel()
            image.pixels.withUnsafeBufferPointer { p in
                mask.values.withUnsafeBufferPointer { m in
                    for y in stride(from: ya, through: yb, by: 3) {
                        for x in stride(from: xa, through: xb, by: 3) {
                            let j = y * w + x
                            guard m[j] >= interior, (spare?.values[j] ?? 0) < 0.5 else { continue }
                            level.add(Self.lumaResponse(p.baseAddress!, at: 3 * j, width: w))
                        }
                    }
                }
            }
            return level
        }
        let targetNoise = noise(of: target)
        guard targetNoise.count >= Self.minimumPixels else { return 0 }
        let t = targetNoise.sigma
        // A clean camera (the usual case) needs none, whatever the face's noise.
        guard Self.matched * t > Self.floor else { return 0 }
        let f = noise(of: face).sigma
        // Up to `matched` of the target's σ, less the floor: 0 where the face is that noisy already or the camera's
        // noise is below measuring, rising from there, so estimates that differ by a few per cent from frame to frame
        // do not switch the grain on and off.
        let missing = Self.matched * Self.matched * t * t - f * f - Self.floor * Self.floor
        guard missing > 0 else { return 0 }
        let grain = min(strength, 1) * missing.squareRoot()
        // Four bytes of one hash: near-Gaussian, σ √(4 · (256² − 1) / 12).
        let scale = grain / (4 * (65_536 - 1) / Float(12)).squareRoot()
        let none = [Float]()
        target.pixels.withUnsafeBufferPointer { t in
        face.pixels.withUnsafeMutableBufferPointer { p in
        mask.values.withUnsafeBufferPointer { m in
        (spare?.values ?? none).withUnsafeBufferPointer { spared in
            for y in box.y0...box.y1 {
                for x in box.x0...box.x1 {
                    let j = y * w + x
                    guard m[j] > FacePaste.threshold else { continue }
                    let keep = spared.isEmpty ? 1 : 1 - min(spared[j], 1)
                    guard keep > 0 else { continue }
                    let q = 3 * j
                    let h = Self.mix(UInt64(truncatingIfNeeded: j) &* 0x9E37_79B9_7F4A_7C15
                        ^ (UInt64(t[q]) | UInt64(t[q + 1]) << 8 | UInt64(t[q + 2]) << 16))
                    let sum = (h & 0xFF) + (h >> 8 & 0xFF) + (h >> 16 & 0xFF) + (h >> 24 & 0xFF)
                    // Rounded once and added to R, G and B alike: luma grain.
                    let add = Int((keep * scale * (Float(sum) - 510)).rounded(.toNearestOrEven))
                    guard add != 0 else { continue }
                    for c in q..<q + 3 { p[c] = UInt8(clamping: Int(p[c]) + add) }
                }
            }
        }}}}
        return grain
    }

    /// ``NoiseLevel``'s response of the luma (Rec. 601, in 256ths) of packed RGB `p` (`width` pixels a row) at
    /// byte `i`.
    @inline(__always)
    static func lumaResponse(_ p: UnsafePointer<UInt8>, at i: Int, width: Int) -> Float {
        @inline(__always) func luma(_ k: Int) -> Int { 77 * Int(p[k]) + 150 * Int(p[k + 1]) + 29 * Int(p[k + 2]) }
        let row = 3 * width
        let corners = luma(i - row - 3) + luma(i - row + 3) + luma(i + row - 3) + luma(i + row + 3)
        let sides = luma(i - row) + luma(i + row) + luma(i - 3) + luma(i + 3)
        return Float(corners - 2 * sides + 4 * luma(i)) / 256
    }

    /// SplitMix64's finaliser: every input bit reaches every output bit, so a pixel whose colour changes by a level
    /// draws unrelated grain.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
