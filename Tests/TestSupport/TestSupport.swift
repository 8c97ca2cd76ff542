import Face
import Foundation
import Imaging
import Stream

/// Deterministic pseudo-random numbers (SeededRandom) so tests never flake.
package struct SeededRandom: RandomNumberGenerator {
    package var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Approximately normal (sum of 12 uniforms − 6), σ = 1.
    package mutating func gaussian() -> Float {
        var s: Float = 0
        for _ in 0..<12 { s += Float.random(in: 0..<1, using: &self) }
        return s - 6
    }
}

/// The corruptions the model loaders' fuzz tests apply to a file's bytes.
package enum ByteMutation {
    /// Mutation `n % 4` of `bytes`: flipped bits, a truncation, random bytes, or an overwritten run of up to 64
    /// bytes; `offset(rng, count)` picks where a change lands in a file of `count` bytes.
    package static func apply(_ n: Int, to bytes: inout [UInt8], rng: inout SeededRandom,
                              offset: (inout SeededRandom, Int) -> Int) {
        switch n % 4 {
        case 0:
            for _ in 0 ..< 1 + Int(rng.next() % 8) {
                let at = offset(&rng, bytes.count)
                bytes[at] ^= UInt8(1) << (rng.next() % 8)
            }
        case 1:
            bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
        case 2:
            for _ in 0 ..< 1 + Int(rng.next() % 16) {
                let at = offset(&rng, bytes.count)
                bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
        default:
            let start = offset(&rng, bytes.count), length = min(Int(rng.next() % 64) + 1, bytes.count - start)
            for i in start ..< start + length { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
    }
}

package enum TestImages {
    /// A smooth, non-periodic colour texture (bilinear-friendly, distinct everywhere).
    package static func texture(width: Int, height: Int, phase: Float = 0) -> RGBImage {
        var img = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let fx = Float(x), fy = Float(y)
                let r = 128 + 100 * sin(fx * 0.11 + phase) * cos(fy * 0.07)
                let g = 128 + 100 * sin((fx + fy) * 0.05 + 1 + phase)
                let b = 128 + 100 * cos(fy * 0.13 - fx * 0.03 + phase)
                img[x, y] = (UInt8(r), UInt8(g), UInt8(b))
            }
        }
        return img
    }

    /// Peak signal-to-noise ratio of `a` vs `b` over pixels where `include` holds.
    package static func psnr(_ a: RGBImage, _ b: RGBImage, include: (Int, Int) -> Bool = { _, _ in true }) -> Double {
        var se = 0.0, n = 0
        for y in 0..<a.height {
            for x in 0..<a.width where include(x, y) {
                let p = a[x, y], q = b[x, y]
                for (u, v) in [(p.r, q.r), (p.g, q.g), (p.b, q.b)] {
                    let d = Double(u) - Double(v)
                    se += d * d
                }
                n += 3
            }
        }
        let mse = se / Double(max(n, 1))
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }
}

package enum TestFaces {
    /// The canonical face laid into an image by a similarity: `scale` pixels per canonical unit (cm), rotated by
    /// `rotation` radians, the canonical origin at `center`.
    package static func landmarks(center: SIMD2<Float>, scale: Float, rotation: Float = 0) -> FaceLandmarks {
        let m = AffineTransform2D(scale: scale, rotation: rotation, translation: center)
        let points = CanonicalFace.points3D.map { p -> SIMD3<Float> in
            let q = m.apply(SIMD2(p.x, -p.y))
            return SIMD3(q.x, q.y, -p.z * scale)
        }
        return FaceLandmarks(points: points, presence: 1)
    }
}

package func simd_distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }
package func simd_distance_squared(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum() }
