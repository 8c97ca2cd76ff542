import Foundation
import Imaging

extension Relighting {
    /// A face's shading on the coarse grid: weighted cell sums of R, G, B and the weights, and their blurred
    /// versions (normalised convolution), optionally refined by a local linear fit.
    struct Shading {
        /// Cell sums (weight × colour, 0…1) and weights, as gathered.
        let planes: [AlphaMask]
        let weight: AlphaMask
        private(set) var blurred: [AlphaMask] = []
        private(set) var blurredWeight: AlphaMask
        /// Per-cell shading of the last linear estimate (empty after a plain one).
        private var fitted: [SIMD3<Float>] = []
        /// The per-cell factors of the last estimate.
        private var lastWeights: [Float]?

        /// Luma ratio (cell ÷ shading) beyond which a cell's weight falls off: e^(−(Δ/spread)²).
        static let spread: Float = 0.12
        /// Ridge on the fitted slopes, as a share of the Gaussian window's own second moment: where the skin lies
        /// on one side only the slope is still measured; where there is too little of it the fit falls back to
        /// the plain average.
        static let slopeRidge: Float = 0.1
        /// How far (× or ÷) a linear fit may move the shading from the plain average (extrapolation at a corner).
        static let fitLimit: Float = 1.6

        init(planes: [AlphaMask], weight: AlphaMask) {
            self.planes = planes
            self.weight = weight
            blurredWeight = weight
        }

        /// Estimates the shading with σ `sigma` cells over the cells weighted by `weights` (nil: all as gathered):
        /// a weighted average, or with `linear` a weighted local plane fit (first-order normalised convolution).
        mutating func estimate(sigma: Float, weights: [Float]? = nil, linear: Bool = false) {
            lastWeights = weights
            var sums = planes
            var mass = weight
            if let weights {
                let factors = AlphaMask(width: mass.width, height: mass.height, values: weights)
                for p in 0..<3 { sums[p].multiply(by: factors) }
                mass.multiply(by: factors)
            }
            blurred = sums
            blurredWeight = mass
            for p in 0..<3 { blurred[p].gaussianBlur(sigma: sigma) }
            blurredWeight.gaussianBlur(sigma: sigma)
            fitted = linear ? fitLinear(sums: sums, mass: mass, sigma: sigma) : []
        }

        /// Re-estimates with cells far from the current shading down-weighted (on top of the last weights).
        mutating func reweight(sigma: Float, linear: Bool = false) {
            var factors = lastWeights ?? [Float](repeating: 1, count: weight.values.count)
            for c in factors.indices where weight.values[c] > 1e-4 {
                guard let shade = shade(c) else { continue }
                let w = weight.values[c]
                let cell = (planes[0].values[c] + planes[1].values[c] + planes[2].values[c]) / w
                let ratio = cell / max(shade[0] + shade[1] + shade[2], 1e-3) - 1
                factors[c] *= exp(-(ratio * ratio) / (Self.spread * Self.spread))
            }
            estimate(sigma: sigma, weights: factors, linear: linear)
        }

        /// Per cell, the value at the cell of the plane a + b·u + c·v fitted to the colour sums under the Gaussian
        /// window (weighted least squares; coordinates centred and scaled to ±1 so the moments stay well
        /// conditioned in Float).
        private func fitLinear(sums: [AlphaMask], mass: AlphaMask, sigma: Float) -> [SIMD3<Float>] {
            let (lw, lh) = (mass.width, mass.height)
            let half = Float(max(lw, lh)) / 2
            let (cx, cy) = (Float(lw - 1) / 2, Float(lh - 1) / 2)
            // The window's coordinate factors per cell, once for all moments.
            let count = lw * lh
            var (us, vs) = ([Float](repeating: 0, count: count), [Float](repeating: 0, count: count))
            var (uus, uvs, vvs) = (us, us, us)
            for c in 0..<count {
                let (u, v) = ((Float(c % lw) - cx) / half, (Float(c / lw) - cy) / half)
                (us[c], vs[c], uus[c], uvs[c], vvs[c]) = (u, v, u * u, u * v, v * v)
            }
            /// The plane times `factor` per cell, blurred.
            func moment(_ plane: AlphaMask, _ factor: [Float]) -> AlphaMask {
                var m = plane
                m.multiply(by: AlphaMask(width: lw, height: lh, values: factor))
                m.gaussianBlur(sigma: sigma, clamped: false)
                return m
            }
            let wu = moment(mass, us), wv = moment(mass, vs)
            let wuu = moment(mass, uus), wuv = moment(mass, uvs), wvv = moment(mass, vvs)
            let fu = sums.map { moment($0, us) }, fv = sums.map { moment($0, vs) }
            let s = sigma / half
            var out = [SIMD3<Float>](repeating: .zero, count: lw * lh)
            for c in out.indices {
                let w0 = blurredWeight.values[c]
                guard w0 > 1e-3 else { continue }
                let plain = SIMD3(blurred[0].values[c], blurred[1].values[c], blurred[2].values[c]) / w0
                out[c] = plain
                // Moments about this cell.
                let (u0, v0) = (us[c], vs[c])
                let mu = wu.values[c] - u0 * w0, mv = wv.values[c] - v0 * w0
                let ridge = Self.slopeRidge * w0 * s * s
                let guu = wuu.values[c] - 2 * u0 * wu.values[c] + u0 * u0 * w0 + ridge
                let gvv = wvv.values[c] - 2 * v0 * wv.values[c] + v0 * v0 * w0 + ridge
                let guv = wuv.values[c] - u0 * wv.values[c] - v0 * wu.values[c] + u0 * v0 * w0
                let det = guu * gvv - guv * guv
                guard det > 0 else { continue }
                // The intercept by the Schur complement: a = (F − qᵀ·F_uv) / (W − qᵀ·W_uv), q = G⁻¹·W_uv.
                let qu = (gvv * mu - guv * mv) / det, qv = (guu * mv - guv * mu) / det
                let denominator = w0 - qu * mu - qv * mv
                guard denominator > 0.05 * w0 else { continue }
                for k in 0..<3 {
                    let f0 = blurred[k].values[c]
                    let f1 = fu[k].values[c] - u0 * f0, f2 = fv[k].values[c] - v0 * f0
                    let a = (f0 - qu * f1 - qv * f2) / denominator
                    out[c][k] = min(max(a, plain[k] / Self.fitLimit), plain[k] * Self.fitLimit)
                }
            }
            return out
        }

        /// Weights that keep the cells near the face's typical skin luma (the weighted median): darker than
        /// `dark` or brighter than `bright` times it fall off quickly.
        func typicalSkinWeights(dark: Float, bright: Float) -> [Float] {
            // Weighted median from a 256-bin histogram of cell luma (0…3 as R + G + B).
            var histogram = [Float](repeating: 0, count: 256)
            var total: Float = 0
            for c in weight.values.indices where weight.values[c] > 1e-3 {
                let l = (planes[0].values[c] + planes[1].values[c] + planes[2].values[c]) / weight.values[c]
                histogram[min(255, max(0, Int(l / 3 * 255)))] += weight.values[c]
                total += weight.values[c]
            }
            var factors = [Float](repeating: 1, count: weight.values.count)
            guard total > 0 else { return factors }
            var running: Float = 0, bin = 0
            while bin < 255 { running += histogram[bin]; if running >= total / 2 { break }; bin += 1 }
            let median = (Float(bin) + 0.5) / 255 * 3
            for c in factors.indices where weight.values[c] > 1e-3 {
                let l = (planes[0].values[c] + planes[1].values[c] + planes[2].values[c]) / weight.values[c] / max(median, 1e-3)
                let out = max(0, dark - l, l - bright)
                factors[c] = exp(-(out * out) / (0.05 * 0.05))
            }
            return factors
        }

        /// Mean colour over all cells as last weighted (0…1).
        var mean: SIMD3<Float> {
            var sum = SIMD3<Float>.zero, w: Float = 0
            for c in weight.values.indices {
                sum += SIMD3(blurred[0].values[c], blurred[1].values[c], blurred[2].values[c])
                w += blurredWeight.values[c]
            }
            return w > 0 ? sum / w : SIMD3(repeating: 0.5)
        }

        /// The shading (R, G, B, 0…1) at cell `c`; nil where no skin is near.
        func shade(_ c: Int) -> SIMD3<Float>? {
            let w = blurredWeight.values[c]
            guard w > 1e-3 else { return nil }
            if !fitted.isEmpty { return fitted[c] }
            return SIMD3(blurred[0].values[c], blurred[1].values[c], blurred[2].values[c]) / w
        }
    }
}
