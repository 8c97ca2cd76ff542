extension SIMD3 where Scalar == Float {
    /// An RGB colour over its mean: its hue and saturation without its brightness (1, 1, 1 for grey, and for black,
    /// whose mean is below one step).
    var chroma: SIMD3<Float> {
        let mean = sum() / 3
        return mean > 1 ? self / mean : .one
    }
}
