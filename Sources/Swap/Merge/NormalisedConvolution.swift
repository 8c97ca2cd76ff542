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
            // Through pointers: the zipped and indexed maps cost more per pixel than the blur of a small plane.
            let n = values.count
            precondition(n == weight.values.count && n == mass.values.count, "plane, weight and mass differ in size")
            let weighted = values.withUnsafeBufferPointer { v in
                weight.values.withUnsafeBufferPointer { w in
                    [Float](unsafeUninitializedCapacity: n) { out, count in
                        for i in 0..<n { out[i] = v[i] * w[i] }
                        count = n
                    }
                }
            }
            var sums = AlphaMask(width: weight.width, height: weight.height, values: weighted)
            sums.gaussianBlur(sigma: sigma, clamped: false)
            return sums.values.withUnsafeBufferPointer { s in
                mass.values.withUnsafeBufferPointer { m in
                    [Float](unsafeUninitializedCapacity: n) { out, count in
                        for i in 0..<n { out[i] = m[i] > minimumMass ? s[i] / m[i] : fallback(i, values) }
                        count = n
                    }
                }
            }
        }
    }

    /// The averages of ``averageAndMass`` alone.
    static func average(_ planes: [[Float]], weight: AlphaMask, sigma: Float, minimumMass: Float = 1e-3,
                        fallback: (Int, [Float]) -> Float) -> [[Float]] {
        averageAndMass(planes, weight: weight, sigma: sigma, minimumMass: minimumMass, fallback: fallback).planes
    }
}
