/// A camera's noise level from the pixels (Immerkær 1996, with the median of the absolute responses instead of their
/// mean, so edges, lines and skin texture barely count): the response of the mask [1 −2 1; −2 4 −2; 1 −2 1], which
/// cancels any plane and slope, has σ 6·σ(noise) on white noise, and its median absolute value is 0.6745 of that.
public struct NoiseLevel: Sendable {
    /// |response| in bins of ``binWidth`` levels (0–255 scale), up to 192 levels (noise σ 47); the last bin holds
    /// everything beyond.
    @usableFromInline var histogram = [Int](repeating: 0, count: 1536)
    /// Responses added.
    public var count: Int { added }
    @usableFromInline var added = 0
    @usableFromInline static let binWidth: Float = 0.125

    public init() {}

    /// Adds one response (0–255 scale; ``response(_:at:step:row:)``); NaN is left out, infinities count as the
    /// largest.
    @inlinable @inline(__always)
    public mutating func add(_ response: Float) {
        addEach { $0(response) }
    }

    /// Adds each response `body` hands to its argument, as ``add(_:)`` does, the histogram held open throughout: one
    /// at a time, every add checked the histogram's uniqueness and its index (a hot loop over a face's pixels). The
    /// one place a response is binned.
    @inlinable @inline(__always)
    public mutating func addEach(_ body: (_ add: (Float) -> Void) -> Void) {
        var added = 0
        histogram.withUnsafeMutableBufferPointer { bins in
            let (h, last) = (bins.baseAddress!, Float(bins.count - 1))
            body { response in
                guard !response.isNaN else { return }
                h[Int(min(abs(response) / Self.binWidth, last))] += 1
                added += 1
            }
        }
        self.added += added
    }

    /// The noise σ (levels, 0–255 scale) of the responses added; 0 without any.
    public var sigma: Float {
        guard count > 0 else { return 0 }
        var seen = 0
        for (k, n) in histogram.enumerated() {
            seen += n
            if 2 * seen >= count { return (Float(k) + 0.5) * Self.binWidth / (6 * 0.6745) }
        }
        return Float(histogram.count) * Self.binWidth / (6 * 0.6745)
    }

    /// The noise σ of a plane of 0…1 values (0…1; 0 for a plane under 3 × 3).
    public static func sigma(ofPlane plane: AlphaMask) -> Float {
        let (w, h) = (plane.width, plane.height)
        guard w >= 3, h >= 3 else { return 0 }
        var level = NoiseLevel()
        plane.values.withUnsafeBufferPointer { v in
            level.addEach { add in
                // Wrapping: the indices lie inside the plane.
                for y in 1..<(h - 1) {
                    for x in 1..<(w - 1) { add(255 * response(v.baseAddress!, at: y &* w &+ x, step: 1, row: w)) }
                }
            }
        }
        return level.sigma / 255
    }

    /// The mask's response at `i` of values `step` apart along a row and `row` apart across rows (not on the
    /// plane's outer pixels).
    @inlinable @inline(__always)
    public static func response(_ v: UnsafePointer<Float>, at i: Int, step: Int, row: Int) -> Float {
        response(at: i, step: step, row: row) { v[$0] }
    }

    /// The mask's response at `i` of the values `value(index)`, `step` apart along a row and `row` apart across rows
    /// (packed pixels read where they lie, without a plane made first).
    @inlinable @inline(__always)
    public static func response(at i: Int, step: Int, row: Int, _ value: (Int) -> Float) -> Float {
        // Wrapping: `i` is off the plane's outer pixels, so its neighbours' indices lie in the plane.
        let (up, down) = (i &- row, i &+ row)
        let corners = value(up &- step) + value(up &+ step) + value(down &- step) + value(down &+ step)
        let sides = value(up) + value(down) + value(i &- step) + value(i &+ step)
        return corners - 2 * sides + 4 * value(i)
    }
}
