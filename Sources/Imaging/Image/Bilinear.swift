/// The bilinear sampler shared by every warp (alignment, paste-back, mesh triangles).
///
/// Works on raw buffers so that hot loops stay free of bounds checks and allocations; inlinable, so the warps and
/// pastes of other modules inline it too. Coordinates are pixel-centre coordinates (pixel (i, j) at (i, j)). Offsets
/// use wrapping arithmetic: they lie inside the image, and their overflow checks were a tenth of a warp's instructions.
@usableFromInline
package enum Bilinear {
    /// Four source offsets (in pixels, row-major) and their weights.
    @usableFromInline
    package struct Taps {
        @usableFromInline var o00: Int, o10: Int, o01: Int, o11: Int
        @usableFromInline var w00: Float, w10: Float, w01: Float, w11: Float

        @inlinable
        init(o00: Int, o10: Int, o01: Int, o11: Int, w00: Float, w10: Float, w01: Float, w11: Float) {
            (self.o00, self.o10, self.o01, self.o11) = (o00, o10, o01, o11)
            (self.w00, self.w10, self.w01, self.w11) = (w00, w10, w01, w11)
        }
    }

    /// Taps with the coordinate clamped into the image (edge pixels repeat).
    @inlinable @inline(__always)
    package static func clamped(_ x: Float, _ y: Float, width: Int, height: Int) -> Taps {
        let cx = min(max(x, 0), Float(width - 1)), cy = min(max(y, 0), Float(height - 1))
        let x0 = Int(cx), y0 = Int(cy)
        let x1 = min(x0 &+ 1, width &- 1), y1 = min(y0 &+ 1, height &- 1)
        let fx = cx - Float(x0), fy = cy - Float(y0)
        return Taps(
            o00: y0 &* width &+ x0, o10: y0 &* width &+ x1, o01: y1 &* width &+ x0, o11: y1 &* width &+ x1,
            w00: (1 - fx) * (1 - fy), w10: fx * (1 - fy), w01: (1 - fx) * fy, w11: fx * fy
        )
    }

    /// Taps where everything outside the image reads as zero; nil when the point is fully outside.
    @inlinable @inline(__always)
    package static func zeroPadded(_ x: Float, _ y: Float, width: Int, height: Int) -> Taps? {
        guard x > -1, y > -1, x < Float(width), y < Float(height) else { return nil }
        let fxFloor = x.rounded(.down), fyFloor = y.rounded(.down)
        let x0 = Int(fxFloor), y0 = Int(fyFloor)
        let fx = x - fxFloor, fy = y - fyFloor
        let in0x = x0 >= 0, in1x = x0 &+ 1 < width, in0y = y0 >= 0, in1y = y0 &+ 1 < height
        let cx0 = max(x0, 0), cx1 = min(x0 &+ 1, width &- 1), cy0 = max(y0, 0), cy1 = min(y0 &+ 1, height &- 1)
        return Taps(
            o00: cy0 &* width &+ cx0, o10: cy0 &* width &+ cx1, o01: cy1 &* width &+ cx0, o11: cy1 &* width &+ cx1,
            w00: in0x && in0y ? (1 - fx) * (1 - fy) : 0, w10: in1x && in0y ? fx * (1 - fy) : 0,
            w01: in0x && in1y ? (1 - fx) * fy : 0, w11: in1x && in1y ? fx * fy : 0
        )
    }

    /// Interpolated value of a one-channel float buffer.
    @inlinable @inline(__always)
    package static func sample(_ p: UnsafePointer<Float>, _ t: Taps) -> Float {
        p[t.o00] * t.w00 + p[t.o10] * t.w10 + p[t.o01] * t.w01 + p[t.o11] * t.w11
    }

    /// Interpolated (r, g, b) of a packed RGB buffer, as floats 0…255.
    @inlinable @inline(__always)
    package static func sampleRGB(_ p: UnsafePointer<UInt8>, _ t: Taps) -> SIMD4<Float> {
        @inline(__always) func px(_ o: Int) -> SIMD4<Float> {
            let q = p + 3 &* o
            return SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)
        }
        // `+=` (the same sums in the same order): Imaging's internal `PyramidValue.+` may not appear in inlinable code.
        var sum = px(t.o00) * t.w00
        sum += px(t.o10) * t.w10
        sum += px(t.o01) * t.w01
        sum += px(t.o11) * t.w11
        return sum
    }

    /// Interpolated (r, g, b, 0) of a buffer of four bytes per pixel whose fourth is 0 (``MipmappedImage``): one
    /// load per tap, and the same sums as the packed-RGB `sampleRGB` of the same colours.
    @inlinable @inline(__always)
    package static func sampleRGBX(_ p: UnsafePointer<UInt8>, _ t: Taps) -> SIMD4<Float> {
        @inline(__always) func px(_ o: Int) -> SIMD4<Float> {
            SIMD4<Float>(UnsafeRawPointer(p + 4 &* o).loadUnaligned(as: SIMD4<UInt8>.self))
        }
        var sum = px(t.o00) * t.w00
        sum += px(t.o10) * t.w10
        sum += px(t.o01) * t.w01
        sum += px(t.o11) * t.w11
        return sum
    }

    /// Interpolated (r, g, b) of a packed RGB float buffer.
    @inline(__always) @usableFromInline
    package static func sampleRGB(_ p: UnsafePointer<Float>, _ t: Taps) -> SIMD3<Float> {
        @inline(__always) func px(_ o: Int) -> SIMD3<Float> { SIMD3(p[3 * o], p[3 * o + 1], p[3 * o + 2]) }
        return px(t.o00) * t.w00 + px(t.o10) * t.w10 + px(t.o01) * t.w01 + px(t.o11) * t.w11
    }

    /// Rounds a 0…255 float colour into three bytes.
    @inlinable @inline(__always)
    package static func store(_ c: SIMD4<Float>, to q: UnsafeMutablePointer<UInt8>) {
        q[0] = byte(c.x)
        q[1] = byte(c.y)
        q[2] = byte(c.z)
    }

    /// ⌊v + 0.5⌋ clamped to 0…255, without the trapping conversion's range check: the truncated value plus 2²³
    /// holds the integer in its low mantissa bits. (Scalar clamps: the generic SIMD `clamped` does not inline here.)
    @inlinable @inline(__always)
    package static func byte(_ v: Float) -> UInt8 {
        let t = Swift.min(Swift.max(v + 0.5, 0), 255).rounded(.towardZero)
        return UInt8(truncatingIfNeeded: (t + 8_388_608).bitPattern)
    }
}
