/// Mask-weighted first and second moments of a three-channel pixel quantity (a colour in some colour space).
package struct WeightedMoments: Sendable {
    package var weight: Double = 0
    package var sum = SIMD3<Double>.zero
    /// Σ w·v², and Σ w·(v.x·v.y, v.x·v.z, v.y·v.z).
    package var squares = SIMD3<Double>.zero
    package var products = SIMD3<Double>.zero

    package init() {}

    /// Adds `v` with weight `w`; `full` also gathers the cross products (for ``covariance``).
    @inline(__always)
    package mutating func add(_ v: SIMD3<Float>, weight w: Float, full: Bool) {
        let d = SIMD3<Double>(v), wd = Double(w)
        weight += wd
        let wv = wd * d
        sum += wv
        squares += wv * d
        if full { products += SIMD3(wv.x, wv.x, wv.y) * SIMD3(d.y, d.z, d.z) }
    }

    package var mean: SIMD3<Double> { weight > 0 ? sum / weight : .zero }

    /// Covariance, row-major 3×3 (the off-diagonal terms need values added with `full`).
    package var covariance: [Double] {
        guard weight > 0 else { return [Double](repeating: 0, count: 9) }
        let m = mean
        let sq = squares / weight - m * m
        let pr = products / weight - SIMD3(m.x * m.y, m.x * m.z, m.y * m.z)
        return [sq.x, pr.x, pr.y, pr.x, sq.y, pr.z, pr.y, pr.z, sq.z]
    }
}

/// Per-channel mean and standard deviation of a colour.
package struct ChannelStatistics: Sendable, Equatable {
    package var mean: SIMD3<Double>
    package var deviation: SIMD3<Double>

    package init(mean: SIMD3<Double>, deviation: SIMD3<Double>) {
        self.mean = mean
        self.deviation = deviation
    }

    /// The statistics of `moments` (a variance that rounding made negative counts as 0).
    package init(_ moments: WeightedMoments) {
        let m = moments.mean
        let variance = moments.weight > 0 ? moments.squares / moments.weight - m * m : .zero
        self.init(mean: m, deviation: variance.replacing(with: 0, where: variance .< 0).squareRoot())
    }
}
