import Imaging

/// Normalised convolution: Gaussian averages of values over a weight (a masked blur that does not darken at the
/// mask's edge).
enum NormalisedConvolution {
    /// The Gaussian average (σ `sigma` pixels) of each plane over `weight`, the weight blurred once for all planes;
    /// `fallback(i, plane)` where the weight around is negligible (blurred weight ≤ `minimumMass`). Also returns the
    /// blurred weight.
    static func averageAndMass(_ planes: [[Float]], weight: AlphaMask, sigma: Float, minimumMass: Float = 1e-3,
                               fallback: (Int, [Float]) -> Float) -> (planes: [[Float]], mass: AlphaMask) {
        var mass = weight
        mass.gaussianBlur(sigma: sigma, clamped: false)
        return (average(planes, weight: weight, mass: mass, sigma: sigma, minimumMass: minimumMass,
                        fallback: fallback), mass)
    }

    /// The averages of ``averageAndMass``, with the blurred weight (`mass`) already at hand.
    static func average(_ planes: [[Float]], weight: AlphaMask, mass: AlphaMask, sigma: Float, minimumMass: Float = 1e-3,
                        fallback: (Int, [Float]) -> Float) -> [[Float]] {
        planes.map { values in
            var sums = AlphaMask(width: weight.width, height: weight.height,
                                 values: zip(values, weight.values).map { $0 * $1 })
            sums.gaussianBlur(sigma: sigma, clamped: false)
            return values.indices.map { i in
                mass.values[i] > minimumMass ? sums.values[i] / mass.values[i] : fallback(i, values)
            }
        }
    }

    /// The averages of ``averageAndMass`` alone.
    static func average(_ planes: [[Float]], weight: AlphaMask, sigma: Float, minimumMass: Float = 1e-3,
                        fallback: (Int, [Float]) -> Float) -> [[Float]] {
        averageAndMass(planes, weight: weight, sigma: sigma, minimumMass: minimumMass, fallback: fallback).planes
    }
}
