/// A row's run of up to eight pixels, for the kernels that work on eight at a time (the relighting's product, the
/// Lab colour transfer): its planes' values and colours as SIMD8 lanes, and its colours rounded back.
struct PixelRun {
    typealias V = SIMD8<Float>
    static let count = V.scalarCount

    /// The run's first column and how many pixels it holds (fewer at a row's end).
    let x: Int, count: Int

    /// The run from column `x`, up to eight pixels short of column `end`.
    init(x: Int, end: Int) {
        self.x = x
        count = Swift.min(Self.count, end - x)
    }

    /// The run's values of a plane laid out like the face's pixels, its row starting at `row` (0 past the run).
    @inline(__always)
    func load(_ plane: UnsafePointer<Float>, _ row: Int) -> V {
        if count == Self.count { return UnsafeRawPointer(plane + (row &+ x)).loadUnaligned(as: V.self) }
        var v = V(repeating: 0)
        for k in 0..<count { v[k] = plane[row &+ x &+ k] }
        return v
    }

    /// Three channels of a run.
    struct RGB {
        var r: V, g: V, b: V
    }

    /// The run's red, green and blue as floats 0…255, from the packed pixels at `q`.
    @inline(__always)
    func rgb(_ q: UnsafePointer<UInt8>) -> RGB {
        var out = RGB(r: V(repeating: 0), g: V(repeating: 0), b: V(repeating: 0))
        @inline(__always) func lane(_ k: Int) {
            out.r[k] = Float(q[3 &* k])
            out.g[k] = Float(q[3 &* k &+ 1])
            out.b[k] = Float(q[3 &* k &+ 2])
        }
        // A whole run unrolled (constant lanes), a short one lane by lane.
        if count == Self.count {
            for k in 0..<Self.count { lane(k) }
        } else {
            for k in 0..<count { lane(k) }
        }
        return out
    }

    /// Rounds the run's colours into the packed pixels at `q`, only where `active`: ⌊v + 0.5⌋ clamped to 0…255,
    /// as ``Bilinear/byte(_:)``.
    @inline(__always)
    func store(_ rgb: RGB, to q: UnsafeMutablePointer<UInt8>, where active: SIMDMask<SIMD8<Int32>>) {
        @inline(__always) func bytes(_ v: V) -> SIMD8<UInt32> {
            let t = Self.min(Self.max(v + 0.5, 0), 255)
            // Plus 2²³ the integer nearest t is the low bits; one less where that rounded up (⌊t⌋ for t ≥ 0).
            let shifted = t + 8_388_608
            let up = SIMD8<UInt32>(repeating: 0).replacing(with: 1, where: shifted - 8_388_608 .> t)
            return unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- up
        }
        let (r, g, b) = (bytes(rgb.r), bytes(rgb.g), bytes(rgb.b))
        @inline(__always) func lane(_ k: Int) {
            guard active[k] else { return }
            q[3 &* k] = UInt8(truncatingIfNeeded: r[k])
            q[3 &* k &+ 1] = UInt8(truncatingIfNeeded: g[k])
            q[3 &* k &+ 2] = UInt8(truncatingIfNeeded: b[k])
        }
        if count == Self.count {
            for k in 0..<Self.count { lane(k) }
        } else {
            for k in 0..<count { lane(k) }
        }
    }

    /// `Swift.max(v, bound)` in each lane (the standard library's `pointwiseMax` was not specialised here).
    @inline(__always)
    static func max(_ v: V, _ bound: Float) -> V { v.replacing(with: bound, where: v .< bound) }

    /// `Swift.min(v, bound)` in each lane.
    @inline(__always)
    static func min(_ v: V, _ bound: Float) -> V { v.replacing(with: bound, where: bound .< v) }
}
