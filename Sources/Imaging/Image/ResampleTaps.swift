/// Source pixels and weights for each destination pixel along one axis of a resize.
///
/// Downscaling averages the covered source pixels with fractional coverage at the ends (OpenCV's `INTER_AREA`), so a
/// 1080p frame shrunk to 128 px keeps small faces instead of aliasing them away; upscaling interpolates linearly
/// between pixel centres. Beyond ``maxBoxTaps``× the box is sampled at that many evenly spaced pixels per axis,
/// which bounds the cost for 1080p/4K frames (a 1080p → 128 pass would otherwise read every pixel ~1.2 times).
struct ResampleTaps: Sendable {
    static let maxBoxTaps = 4

    /// Destination pixel `i` reads `indices[ranges[i]]` with `weights[ranges[i]]` (weights sum to 1).
    private(set) var ranges: [Range<Int>] = []
    private(set) var indices: [Int] = []
    private(set) var weights: [Float] = []
    /// Destination pixels.
    var count: Int { ranges.count }

    /// Maps `count` destination pixels onto the source span `[origin, origin + length)` of an axis with
    /// `limit` pixels (taps are clamped to `0 ..< limit`).
    init(count: Int, origin: Double, length: Double, limit: Int) {
        let scale = length / Double(count)
        for i in 0..<count {
            let start = indices.count
            if scale > Double(Self.maxBoxTaps) {
                let lo = origin + Double(i) * scale
                let n = Self.maxBoxTaps
                for j in 0..<n {
                    add(Int((lo + (Double(j) + 0.5) * scale / Double(n)).rounded(.down)), 1 / Float(n), limit)
                }
            } else if scale > 1 {
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

    /// The taps as flat arrays: destination `i` reads `index[start[i] ..< end[i]]` with the matching weights.
    func withUnsafeTaps<R>(_ body: (UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Float>) -> R) -> R {
        let starts = ranges.map(\.lowerBound), ends = ranges.map(\.upperBound)
        return starts.withUnsafeBufferPointer { s in
            ends.withUnsafeBufferPointer { e in
                indices.withUnsafeBufferPointer { i in
                    weights.withUnsafeBufferPointer { w in body(s.baseAddress!, e.baseAddress!, i.baseAddress!, w.baseAddress!) }
                }
            }
        }
    }

    /// The distinct source pixels the taps read, in order, and the taps reading positions in that list instead.
    func compacted() -> (sources: [Int], taps: ResampleTaps) {
        var sources: [Int] = []
        var compact = self
        for (k, index) in indices.enumerated() {
            // Indices never decrease along the axis: a repeat is always the last one added.
            if sources.last != index { sources.append(index) }
            compact.indices[k] = sources.count - 1
        }
        return (sources, compact)
    }

    private mutating func add(_ index: Int, _ weight: Float, _ limit: Int) {
        indices.append(min(max(index, 0), limit - 1))
        weights.append(weight)
    }
}
