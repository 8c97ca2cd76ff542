import Imaging
import Stream

/// A profile across a brow: the luma averaged along its upper edge, moved up the face by each of a list of
/// heights. ``TargetBrowRise`` and ``TargetBrowOffset`` find the target's brows in it.
enum BrowProfile {
    /// The luma (0…255) averaged along `edge` (image pixels, sampled at 4 points per segment) moved by `up` × each
    /// of `heights` (pixels); nil at a height where none of the samples lies in the image.
    static func luma(along edge: [SIMD2<Float>], up: SIMD2<Float>, heights: [Float], in image: RGBImage) -> [Float?] {
        var samples: [SIMD2<Float>] = []
        for (a, b) in zip(edge, edge.dropFirst()) {
            for k in 0..<4 { samples.append(a + (b - a) * (Float(k) / 4)) }
        }
        return heights.map { height -> Float? in
            let shift = up * height
            var sum: Float = 0, n: Float = 0
            for p in samples {
                let q = p + shift
                let (x, y) = (Int(q.x.rounded()), Int(q.y.rounded()))
                guard x >= 0, y >= 0, x < image.width, y < image.height else { continue }
                let c = image[x, y]
                sum += (Float(c.r) + Float(c.g) + Float(c.b)) / 3
                n += 1
            }
            return n > 0 ? sum / n : nil
        }
    }
}
