/// Vector loads and stores for this module's kernels. Neural's `SIMD.load`/`store(to:)` are not inlinable across
/// modules, so called from here they ran unspecialised (generic metadata look-ups and a `memmove` per vector:
/// measured 18 % of a `live` training step).
extension SIMD8 where Scalar == Float {
    @inline(__always)
    init(loading p: UnsafePointer<Float>) { self = UnsafeRawPointer(p).loadUnaligned(as: Self.self) }

    @inline(__always)
    func store(into p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }
}

extension SIMD16 where Scalar == Float {
    @inline(__always)
    init(loading p: UnsafePointer<Float>) { self = UnsafeRawPointer(p).loadUnaligned(as: Self.self) }

    @inline(__always)
    func store(into p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self) }
}
