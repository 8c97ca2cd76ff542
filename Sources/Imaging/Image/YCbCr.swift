/// Full-range YCbCr (BT.601, as JPEG): luma 0…1 and chroma −0.5…0.5 for RGB in 0…1.
package enum YCbCr {
    @inline(__always)
    package static func fromRGB(_ rgb: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(0.299 * rgb.x + 0.587 * rgb.y + 0.114 * rgb.z,
              -0.168736 * rgb.x - 0.331264 * rgb.y + 0.5 * rgb.z,
              0.5 * rgb.x - 0.418688 * rgb.y - 0.081312 * rgb.z)
    }

    @inline(__always)
    package static func toRGB(_ ycc: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(ycc.x + 1.402 * ycc.z, ycc.x - 0.344136 * ycc.y - 0.714136 * ycc.z, ycc.x + 1.772 * ycc.y)
    }
}
