extension Bilinear {
    /// Interpolated value of a buffer of float vectors (e.g. RGB differences).
    @inline(__always) @usableFromInline
    package static func sample(_ p: UnsafePointer<SIMD4<Float>>, _ t: Taps) -> SIMD4<Float> {
        p[t.o00] * t.w00 + p[t.o10] * t.w10 + p[t.o01] * t.w01 + p[t.o11] * t.w11
    }
}
