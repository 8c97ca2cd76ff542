import Foundation
import Imaging

/// Random augmentation of training faces (DeepFaceLab's recipe): a random similarity transform and flip applied to
/// input and target alike, a smooth random warp applied to the input only (the network must undo it), and colour
/// transfer of source faces towards a random destination face.
public struct AugmentationSettings: Sendable, Equatable {
    public var rotationDegrees: Float = 10
    public var scale: Float = 0.05
    public var shift: Float = 0.05
    public var warp = true
    public var flip = true
    public var colourTransfer = true

    public init() {}

    /// No augmentation at all (previews, tests).
    public static let none: AugmentationSettings = {
        var s = AugmentationSettings()
        s.rotationDegrees = 0; s.scale = 0; s.shift = 0; s.warp = false; s.flip = false; s.colourTransfer = false
        return s
    }()
}

struct FaceAugmenter {
    let settings: AugmentationSettings
    let resolution: Int

    /// Writes the warped input, the unwarped target (both `resolution² × 3`), the target mask and the target's
    /// eyes-and-mouth mask.
    func render(_ face: FaceSample, colourReference: FaceSample?, random: inout RandomSource,
                input: UnsafeMutablePointer<Float>, target: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>,
                priority: UnsafeMutablePointer<Float>) {
        let r = Float(resolution)
        let angle = random.uniform(-1, 1) * settings.rotationDegrees * .pi / 180
        let scale = 1 + random.uniform(-1, 1) * settings.scale
        let shift = SIMD2(random.uniform(-1, 1), random.uniform(-1, 1)) * settings.shift * r
        let flip = settings.flip && random.unit() < 0.5
        var pixels = face.pixels
        if settings.colourTransfer, let colourReference { face.recolour(&pixels, like: colourReference) }
        let warp = settings.warp ? WarpField(resolution: resolution, random: &random) : nil
        // Output → source: undo the shift, rotation and scale about the centre, then mirror.
        let c = r / 2, cosA = Foundation.cos(-angle) / scale, sinA = Foundation.sin(-angle) / scale
        func source(_ p: SIMD2<Float>) -> SIMD2<Float> {
            let q = p - c - shift
            var s = SIMD2(cosA * q.x - sinA * q.y, sinA * q.x + cosA * q.y) + c
            if flip { s.x = r - s.x }
            return s
        }
        // Bilinear taps at pixel-centre coordinates (pixel (i, j) at (i + 0.5, j + 0.5) here), edges replicated.
        let n = resolution
        func taps(_ p: SIMD2<Float>) -> Bilinear.Taps { Bilinear.clamped(p.x - 0.5, p.y - 0.5, width: n, height: n) }
        pixels.withUnsafeBufferPointer { rgb in
            face.mask.withUnsafeBufferPointer { faceMask in
                face.priority.withUnsafeBufferPointer { facePriority in
                    for y in 0..<n {
                        for x in 0..<n {
                            let p = SIMD2(Float(x) + 0.5, Float(y) + 0.5)
                            let i = y * n + x
                            let s = taps(source(p))
                            let t = Bilinear.sampleRGB(rgb.baseAddress!, s)
                            target[i * 3] = t.x; target[i * 3 + 1] = t.y; target[i * 3 + 2] = t.z
                            mask[i] = Bilinear.sample(faceMask.baseAddress!, s)
                            priority[i] = Bilinear.sample(facePriority.baseAddress!, s)
                            let w = warp.map { Bilinear.sampleRGB(rgb.baseAddress!, taps(source(p + $0.offset(x: x, y: y)))) } ?? t
                            input[i * 3] = w.x; input[i * 3 + 1] = w.y; input[i * 3 + 2] = w.z
                        }
                    }
                }
            }
        }
    }
}

/// A smooth random displacement: normal offsets (σ = 0.24 cell) on a coarse grid of `resolution / 2^k` cells
/// (k random in 1…3), fixed to zero on the border, interpolated bilinearly.
struct WarpField {
    let resolution: Int
    let cells: Int
    let offsets: [SIMD2<Float>]  // (cells + 1)² grid points

    init(resolution: Int, random: inout RandomSource) {
        self.resolution = resolution
        cells = 1 << (1 + Int(random.next() % 3))
        let sigma = 0.24 * Float(resolution) / Float(cells)
        var offsets = [SIMD2<Float>]()
        for gy in 0...cells {
            for gx in 0...cells {
                let border = gx == 0 || gy == 0 || gx == cells || gy == cells
                let o = SIMD2(random.normal(), random.normal()) * sigma
                offsets.append(border ? .zero : o)
            }
        }
        self.offsets = offsets
    }

    func offset(x: Int, y: Int) -> SIMD2<Float> {
        let cell = Float(resolution) / Float(cells)
        let u = (Float(x) + 0.5) / cell, v = (Float(y) + 0.5) / cell
        let gx = min(Int(u), cells - 1), gy = min(Int(v), cells - 1)
        let fx = u - Float(gx), fy = v - Float(gy)
        let n = cells + 1
        let a = offsets[gy * n + gx], b = offsets[gy * n + gx + 1], c = offsets[(gy + 1) * n + gx], d = offsets[(gy + 1) * n + gx + 1]
        return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy
    }
}
