import Neural
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
    /// Scratch, reused across calls (one DSSIM per thread): the row pass (`size × valid`), eight `valid²` maps
    /// (μx, μy, e_xx, e_yy, e_xy, then the three gradient maps) and one `size²` product image.
    private let scratch: AlignedBuffer

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
        scratch = AlignedBuffer(count: size * v + 8 * v * v + size * size)
    }

    private var rowPass: UnsafeMutablePointer<Float> { scratch.baseAddress }
    private func map(_ k: Int) -> UnsafeMutablePointer<Float> { scratch.baseAddress + size * valid + k * valid * valid }
    private var product: UnsafeMutablePointer<Float> { scratch.baseAddress + size * valid + 8 * valid * valid }

    /// The dissimilarity of `y` to `x` (both `size²`, row stride `stride` floats between pixels); adds
    /// `scale · ∂L/∂y` into `gradient` (same layout as `y`) when given.
    mutating func evaluate(x: UnsafePointer<Float>, y: UnsafePointer<Float>, stride: Int, scale: Float,
                           gradient: UnsafeMutablePointer<Float>?) -> Double {
        let n = size, v = valid, product = self.product
        func gather(_ f: (Int) -> Float) {
            for i in 0..<(n * n) { product[i] = f(i) }
        }
        gather { x[$0 * stride] }; filter(into: map(0))
        gather { y[$0 * stride] }; filter(into: map(1))
        gather { x[$0 * stride] * x[$0 * stride] }; filter(into: map(2))
        gather { y[$0 * stride] * y[$0 * stride] }; filter(into: map(3))
        gather { x[$0 * stride] * y[$0 * stride] }; filter(into: map(4))
        var total = 0.0
        let dLds = -scale / (2 * Float(v * v))
        let mux = map(0), muy = map(1), exx = map(2), eyy = map(3), exy = map(4)
        let dmu = map(5), deyy = map(6), dexy = map(7)
        for i in 0..<(v * v) {
            let mx = mux[i], my = muy[i]
            let a1 = 2 * mx * my + c1, a2 = 2 * (exy[i] - mx * my) + c2
            let b1 = mx * mx + my * my + c1, b2 = (exx[i] - mx * mx) + (eyy[i] - my * my) + c2
            let s = a1 * a2 / (b1 * b2)
            total += Double(1 - s) / 2
            // ∂s/∂μy, ∂s/∂e_yy, ∂s/∂e_xy (e_xx and μx are constants of x).
            dmu[i] = dLds * (2 * mx * (a2 - a1) / (b1 * b2) - 2 * my * s * (1 / b1 - 1 / b2))
            deyy[i] = dLds * (-s / b2)
            dexy[i] = dLds * (2 * a1 / (b1 * b2))
        }
        if let gradient {
            scatter(dmu)
            for i in 0..<(n * n) { gradient[i * stride] += product[i] }
            scatter(deyy)
            for i in 0..<(n * n) { gradient[i * stride] += 2 * y[i * stride] * product[i] }
            scatter(dexy)
            for i in 0..<(n * n) { gradient[i * stride] += x[i * stride] * product[i] }
        }
        return total / Double(v * v)
    }

    /// `out` = valid separable Gaussian filtering of the product image, 16 output columns at a time.
    private func filter(into out: UnsafeMutablePointer<Float>) {
        let n = size, v = valid, rowPass = self.rowPass, product = self.product
        window.withUnsafeBufferPointer { w in
            for r in 0..<n {
                forEachColumnBlock(v) { c, lanes in
                    var acc = SIMD16<Float>()
                    for t in 0..<w.count { acc.addProduct(w[t], lanes.load(product + r * n + c + t)) }
                    lanes.store(acc, rowPass + r * v + c)
                }
            }
            for r in 0..<v {
                forEachColumnBlock(v) { c, lanes in
                    var acc = SIMD16<Float>()
                    for t in 0..<w.count { acc.addProduct(w[t], lanes.load(rowPass + (r + t) * v + c)) }
                    lanes.store(acc, out + r * v + c)
                }
            }
        }
    }

    /// product = Gᵀ ∗ `map`: the adjoint of ``filter(into:)``.
    private func scatter(_ map: UnsafePointer<Float>) {
        let n = size, v = valid, rowPass = self.rowPass, product = self.product
        rowPass.update(repeating: 0, count: n * v)
        product.update(repeating: 0, count: n * n)
        window.withUnsafeBufferPointer { w in
            for r in 0..<v {
                for t in 0..<w.count { axpy(w[t], map + r * v, rowPass + (r + t) * v, count: v) }
            }
            for r in 0..<n {
                for t in 0..<w.count { axpy(w[t], rowPass + r * v, product + r * n + t, count: v) }
            }
        }
    }
}

/// Loads and stores of the first `count` (≤ 16) lanes; the rest read as zero.
private struct Lanes {
    let count: Int
    @inline(__always)
    func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        if count == 16 { return SIMD16<Float>(loading: p) }
        var v = SIMD16<Float>()
        for i in 0..<count { v[i] = p[i] }
        return v
    }
    @inline(__always)
    func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        if count == 16 { v.store(into: p); return }
        for i in 0..<count { p[i] = v[i] }
    }
}

/// Calls `body(column, lanes)` for columns `0..<count` in blocks of 16 (the last one partial).
@inline(__always)
private func forEachColumnBlock(_ count: Int, _ body: (Int, Lanes) -> Void) {
    var c = 0
    while c < count {
        body(c, Lanes(count: min(16, count - c)))
        c += 16
    }
}

extension SIMD16 where Scalar == Float {
    @inline(__always)
    fileprivate mutating func addProduct(_ a: Float, _ b: SIMD16<Float>) { self = self.addingProduct(SIMD16(repeating: a), b) }
}
