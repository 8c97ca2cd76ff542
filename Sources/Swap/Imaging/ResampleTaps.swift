/// Source pixels and weights for each destination pixel along one axis of a resize.
///
/// Downscaling averages the covered source pixels with fractional coverage at the ends (OpenCV's `INTER_AREA`), so a
/// 1080p frame shrunk to 128 px keeps small faces instead of aliasing them away; upscaling interpolates linearly
/// between pixel centres.
struct ResampleTaps: Sendable {
    /// Destination pixel `i` reads `indices[ranges[i]]` with `weights[ranges[i]]` (weights sum to 1).
    private(set) var ranges: [Range<Int>] = []
    private(set) var indices: [Int] = []
    private(set) var weights: [Float] = []

    /// Maps `count` destination pixels onto the source span `[origin, origin + length)` of an axis with
    /// `limit` pixels (taps are clamped to `0 ..< limit`).
    init(count: Int, origin: Double, length: Double, limit: Int) {
        let scale = length / Double(count)
        for i in 0..<count {
            let start = indices.count
            if scale > 1 {
                let lo = origin + Double(i) * scale, hi = lo + scale
                var x = Int(lo.rounded(.down))
                while Double(x) < hi {
                    let cover = min(hi, Double(x + 1)) - max(lo, Double(x))
                    if cover > 1e-9 { add(x, Float(cover / scale), limit) }
                    x += 1
                }
            } else {
                let src = origin + (Double(i) + 0.5) * scale - 0.5
                let x0 = src.rounded(.down)
                let t = Float(src - x0)
                add(Int(x0), 1 - t, limit)
                add(Int(x0) + 1, t, limit)
            }
            ranges.append(start ..< indices.count)
        }
    }

    private mutating func add(_ index: Int, _ weight: Float, _ limit: Int) {
        indices.append(min(max(index, 0), limit - 1))
        weights.append(weight)
    }
}
