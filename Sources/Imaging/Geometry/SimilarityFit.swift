/// Least-squares 2D similarity fit (Umeyama 1991, closed form).
///
/// In 2D the rotation-and-scale part of Umeyama's solution is the complex number `z = Σ conj(xᵢ)·yᵢ / Σ |xᵢ|²` over
/// centred points, so no SVD is needed; reflections are excluded by construction.
public enum SimilarityFit {
    /// The similarity `T` (rotation, uniform scale, translation) minimising `Σ wᵢ |T(sourceᵢ) − targetᵢ|²`.
    /// Returns nil when fewer than two distinct points (with positive weight) are given.
    public static func fit(
        from source: [SIMD2<Float>], to target: [SIMD2<Float>], weights: [Float]? = nil
    ) -> AffineTransform2D? {
        precondition(source.count == target.count, "point lists differ in length")
        precondition(weights == nil || weights!.count == source.count, "weight count differs from point count")
        var wSum = 0.0
        var ms = SIMD2<Double>.zero, mt = SIMD2<Double>.zero
        for i in source.indices {
            let w = Double(weights?[i] ?? 1)
            wSum += w
            ms += w * SIMD2<Double>(source[i])
            mt += w * SIMD2<Double>(target[i])
        }
        guard wSum > 0 else { return nil }
        ms /= wSum
        mt /= wSum
        var dot = 0.0, cross = 0.0, norm = 0.0
        for i in source.indices {
            let w = Double(weights?[i] ?? 1)
            let s = SIMD2<Double>(source[i]) - ms, t = SIMD2<Double>(target[i]) - mt
            dot += w * (s.x * t.x + s.y * t.y)
            cross += w * (s.x * t.y - s.y * t.x)
            norm += w * (s.x * s.x + s.y * s.y)
        }
        guard norm > 1e-12 else { return nil }
        let a = dot / norm, b = cross / norm
        return AffineTransform2D(
            a: Float(a), b: Float(-b), tx: Float(mt.x - (a * ms.x - b * ms.y)),
            c: Float(b), d: Float(a), ty: Float(mt.y - (b * ms.x + a * ms.y))
        )
    }
}
