/// Transcendental functions on 8 lanes, for activations over whole tensors (libm is scalar: ~15 ns a call).

extension SIMD8 where Scalar == Float {
    /// eˣ: x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 Taylor polynomial for eʳ, 2ⁿ put into the exponent bits.
    /// Relative error below 3·10⁻⁷ for x in [-87, 88]; arguments outside are clamped there.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var x = x.replacing(with: -87, where: x .< -87)
        x = x.replacing(with: 88, where: x .> 88)
        // Adding 1.5·2²³ rounds to the nearest integer, which lands in the low mantissa bits.
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4  // ln 2 in two parts (Cody–Waite)
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let bits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- unsafeBitCast(magic, to: SIMD8<UInt32>.self)
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: SIMD8<Float>.self)
        return p * scale
    }

    /// The logistic function 1 / (1 + e⁻ˣ), argument clamped to ±80 like the scalar ``sigmoid(_:)``.
    @inline(__always)
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var x = x.replacing(with: -80, where: x .< -80)
        x = x.replacing(with: 80, where: x .> 80)
        return 1 / (1 + exp(-x))
    }
}
