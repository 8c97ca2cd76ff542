import Foundation

/// sRGB (8-bit) ↔ CIE L*a*b* (D65), tuned for per-pixel use: table-driven gamma, Newton cube roots.
struct LabColor: Sendable {
    /// sRGB byte → linear light.
    private let toLinear = LabColor.linearTable
    /// Linear light (0…1 in `encodeSteps` steps) → sRGB 0…255.
    private let toSRGB = LabColor.encodeTable
    private static let encodeSteps = 4096

    private static let white = SIMD3<Float>(0.95047, 1, 1.08883)
    private static let epsilon: Float = 216 / 24389
    private static let kappa: Float = 24389 / 27

    // Built once per process (immutable).
    private static let linearTable: [Float] = (0..<256).map { i in
        let c = Double(i) / 255
        return Float(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4))
    }
    private static let encodeTable: [Float] = (0...encodeSteps + 1).map { i in
        let v = min(1, Double(i) / Double(encodeSteps))
        return Float(255 * (v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055))
    }

    init() {}

    /// L*a*b* of an sRGB pixel.
    @inline(__always)
    func lab(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> SIMD3<Float> {
        let (lr, lg, lb) = (toLinear[Int(r)], toLinear[Int(g)], toLinear[Int(b)])
        let x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / Self.white.x
        let y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb
        let z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / Self.white.z
        let fx = Self.f(x), fy = Self.f(y), fz = Self.f(z)
        return SIMD3(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// sRGB 0…255 (unrounded, clamped) of an L*a*b* colour.
    @inline(__always)
    func rgb(_ lab: SIMD3<Float>) -> SIMD3<Float> {
        let fy = (lab.x + 16) / 116
        let fx = fy + lab.y / 500, fz = fy - lab.z / 200
        let x = Self.fInverse(fx) * Self.white.x, y = Self.fInverse(fy), z = Self.fInverse(fz) * Self.white.z
        let r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
        let g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
        let b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
        return SIMD3(encode(r), encode(g), encode(b))
    }

    @inline(__always)
    private func encode(_ v: Float) -> Float {
        let t = min(max(v, 0), 1) * Float(Self.encodeSteps)
        let i = Int(t)
        let f = t - Float(i)
        return toSRGB[i] + f * (toSRGB[i + 1] - toSRGB[i])
    }

    @inline(__always)
    private static func f(_ t: Float) -> Float {
        t > epsilon ? cubeRoot(t) : (kappa * t + 16) / 116
    }

    @inline(__always)
    private static func fInverse(_ f: Float) -> Float {
        let f3 = f * f * f
        return f3 > epsilon ? f3 : (116 * f - 16) / kappa
    }

    /// Cube root of a positive float: exponent trick, then two Newton steps (relative error < 1e-5).
    @inline(__always)
    static func cubeRoot(_ x: Float) -> Float {
        var y = Float(bitPattern: x.bitPattern / 3 + 709_921_077)
        y = (2 * y + x / (y * y)) / 3
        y = (2 * y + x / (y * y)) / 3
        return y
    }
}
