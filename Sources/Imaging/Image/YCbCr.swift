/// Full-range YCbCr (BT.601, as JPEG): luma 0…1 and chroma −0.5…0.5 for RGB in 0…1.
@usableFromInline
package enum YCbCr {
    /// Rec. 601 luma of (r, g, b), in their scale.
    @inlinable @inline(__always)
    package static func luma(_ r: Float, _ g: Float, _ b: Float) -> Float { 0.299 * r + 0.587 * g + 0.114 * b }

    /// Rec. 601 luma (0…255) of the packed RGB pixel at `p`.
    @inlinable @inline(__always)
    package static func luma(at p: UnsafePointer<UInt8>) -> Float { luma(Float(p[0]), Float(p[1]), Float(p[2])) }

    @inlinable @inline(__always)
    package static func fromRGB(_ rgb: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(luma(rgb.x, rgb.y, rgb.z),
              -0.168736 * rgb.x - 0.331264 * rgb.y + 0.5 * rgb.z,
              0.5 * rgb.x - 0.418688 * rgb.y - 0.081312 * rgb.z)
    }

    @inlinable @inline(__always)
    package static func toRGB(_ ycc: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(ycc.x + 1.402 * ycc.z, ycc.x - 0.344136 * ycc.y - 0.714136 * ycc.z, ycc.x + 1.772 * ycc.y)
    }
}
