import Foundation

/// Structural dissimilarity `(1 − SSIM) / 2` of two single-channel images, averaged over the valid (unpadded)
/// Gaussian windows (σ = 1.5, like TensorFlow's `ssim`), with its gradient with respect to the second image.
///
/// With `μ = G∗y`, `e_yy = G∗y²`, `e_xy = G∗xy` and `s = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))`,
/// `∂L/∂y = Gᵀ∗(∂L/∂μy) + 2y·Gᵀ∗(∂L/∂e_yy) + x·Gᵀ∗(∂L/∂e_xy)`; `Gᵀ∗` scatters each window back (full correlation).
struct DSSIM {
    let size: Int
    let window: [Float]
    var valid: Int { size - window.count + 1 }
    private let c1: Float = 0.01 * 0.01
    private let c2: Float = 0.03 * 0.03
    // Scratch, reused across calls (one DSSIM per thread).
    private var rowPass: [Float]
    private var maps: [[Float]]  // μx, μy, e_xx, e_yy, e_xy, then the three gradient maps
    private var product: [Float]

    /// DeepFaceLab's window for a resolution: `res / 11.6`, clamped to 3…11.
    static func windowSize(forResolution resolution: Int) -> Int { min(11, max(3, Int(Double(resolution) / 11.6))) }

    init(size: Int, windowSize: Int) {
        precondition(windowSize <= size)
        self.size = size
        let center = Float(windowSize - 1) / 2
        var w = (0..<windowSize).map { i -> Float in let d = Float(i) - center; return Foundation.exp(-d * d / (2 * 1.5 * 1.5)) }
        let total = w.reduce(0, +)
        w = w.map { $0 / total }
        window = w
        let v = size - windowSize + 1
        rowPass = [Float](repeating: 0, count: size * v)
        maps = Array(repeating: [Float](repeating: 0, count: v * v), count: 8)
        product = [Float](repeating: 0, count: size * size)
    }

    /// The dissimilarity of `y` to `x` (both `size²`, row stride `stride` floats between pixels); adds
    /// `scale · ∂L/∂y` into `gradient` (same layout as `y`) when given.
    mutating func evaluate(x: UnsafePointer<Float>, y: UnsafePointer<Float>, stride: Int, scale: Float,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        let n = size, v = valid
        func gather(_ f: (Int) -> Float) {
            for i in 0..<(n * n) { product[i] = f(i) }
        }
        gather { x[$0 * stride] }; filter(into: 0)
        gather { y[$0 * stride] }; filter(into: 1)
        gather { x[$0 * stride] * x[$0 * stride] }; filter(into: 2)
        gather { y[$0 * stride] * y[$0 * stride] }; filter(into: 3)
        gather { x[$0 * stride] * y[$0 * stride] }; filter(into: 4)
        var total = 0.0
        let dLds = -scale / (2 * Float(v * v))
        for i in 0..<(v * v) {
            let mx = maps[0][i], my = maps[1][i]
            let a1 = 2 * mx * my + c1, a2 = 2 * (maps[4][i] - mx * my) + c2
            let b1 = mx * mx + my * my + c1, b2 = (maps[2][i] - mx * mx) + (maps[3][i] - my * my) + c2
            let s = a1 * a2 / (b1 * b2)
            total += Double(1 - s) / 2
            // ∂s/∂μy, ∂s/∂e_yy, ∂s/∂e_xy (e_xx and μx are constants of x).
            maps[5][i] = dLds * (2 * mx * (a2 - a1) / (b1 * b2) - 2 * my * s * (1 / b1 - 1 / b2))
            maps[6][i] = dLds * (-s / b2)
            maps[7][i] = dLds * (2 * a1 / (b1 * b2))
        }
        if let gradient {
            scatter(5)
            for i in 0..<(n * n) { gradient[i * stride] += product[i] }
            scatter(6)
            for i in 0..<(n * n) { gradient[i * stride] += 2 * y[i * stride] * product[i] }
            scatter(7)
            for i in 0..<(n * n) { gradient[i * stride] += x[i * stride] * product[i] }
        }
        return total / Double(v * v)
    }

    /// maps[k] = valid separable Gaussian filtering of `product`.
    private mutating func filter(into k: Int) {
        let n = size, v = valid, w = window.count
        for r in 0..<n {
            for c in 0..<v {
                var acc: Float = 0
                for t in 0..<w { acc += window[t] * product[r * n + c + t] }
                rowPass[r * v + c] = acc
            }
        }
        for r in 0..<v {
            for c in 0..<v {
                var acc: Float = 0
                for t in 0..<w { acc += window[t] * rowPass[(r + t) * v + c] }
                maps[k][r * v + c] = acc
            }
        }
    }

    /// product = Gᵀ ∗ maps[k]: the adjoint of ``filter(into:)``.
    private mutating func scatter(_ k: Int) {
        let n = size, v = valid, w = window.count
        for i in 0..<(n * v) { rowPass[i] = 0 }
        for r in 0..<v {
            for c in 0..<v {
                let g = maps[k][r * v + c]
                for t in 0..<w { rowPass[(r + t) * v + c] += window[t] * g }
            }
        }
        for i in 0..<(n * n) { product[i] = 0 }
        for r in 0..<n {
            for c in 0..<v {
                let g = rowPass[r * v + c]
                for t in 0..<w { product[r * n + c + t] += window[t] * g }
            }
        }
    }
}
