import Imaging
import Stream

/// Eight pixels at a time: the per-pixel colour transfer is arithmetic-bound (cube roots), so it runs on AVX lanes
/// with sqrt-seeded Newton cube roots and the sRGB curve computed rather than looked up.
extension LabColor {
    typealias Lanes = SIMD8<Float>

    /// Applies `lab' = lab · gain + offset` to every pixel of `pixels` (packed RGB, the mask's size) whose mask value
    /// is above `threshold`; other pixels are not written.
    func transform(_ pixels: UnsafeMutablePointer<UInt8>, mask: AlphaMask, above threshold: Float,
                   gain: SIMD3<Float>, offset: SIMD3<Float>) {
        guard let box = mask.support(above: threshold) else { return }
        toLinear.withUnsafeBufferPointer { table in
            mask.values.withUnsafeBufferPointer { m in
                let linear = table.baseAddress!
                for y in box.y0...box.y1 {
                    var x = box.x0
                    while x <= box.x1 {
                        let run = PixelRun(x: x, end: box.x1 + 1)
                        let q = pixels + 3 * (y * mask.width + x)
                        var (r, g, b) = (Lanes(), Lanes(), Lanes())
                        for k in 0..<run.count {
                            r[k] = linear[Int(q[3 * k])]; g[k] = linear[Int(q[3 * k + 1])]; b[k] = linear[Int(q[3 * k + 2])]
                        }
                        var (l, a, bb) = Self.lab(r, g, b)
                        l = l * gain.x + offset.x
                        a = a * gain.y + offset.y
                        bb = bb * gain.z + offset.z
                        let (r2, g2, b2) = Self.rgb(l, a, bb)
                        run.store(PixelRun.RGB(r: r2, g: g2, b: b2), to: q,
                                  where: run.load(m.baseAddress!, y * mask.width) .> threshold)
                        x += 8
                    }
                }
            }
        }
    }

    /// L*a*b* of eight linear-light RGB colours.
    @inline(__always)
    static func lab(_ r: Lanes, _ g: Lanes, _ b: Lanes) -> (Lanes, Lanes, Lanes) {
        let x = (0.4124564 / white.x) * r + (0.3575761 / white.x) * g + (0.1804375 / white.x) * b
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        let z = (0.0193339 / white.z) * r + (0.1191920 / white.z) * g + (0.9503041 / white.z) * b
        let fx = f(x), fy = f(y), fz = f(z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// sRGB 0…255 (unrounded, clamped) of eight L*a*b* colours.
    @inline(__always)
    static func rgb(_ l: Lanes, _ a: Lanes, _ b: Lanes) -> (Lanes, Lanes, Lanes) {
        let fy = (l + 16) * (1 / 116)
        let fx = fy + a * (1 / 500), fz = fy - b * (1 / 200)
        let x = fInverse(fx) * white.x, y = fInverse(fy), z = fInverse(fz) * white.z
        let r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
        let g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
        let bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
        return (encode(r), encode(g), encode(bl))
    }

    @inline(__always)
    private static func f(_ t: Lanes) -> Lanes {
        let linear = (kappa / 116) * t + 16 / 116
        return cubeRoot(t).replacing(with: linear, where: t .<= epsilon)
    }

    @inline(__always)
    private static func fInverse(_ f: Lanes) -> Lanes {
        let f3 = f * f * f
        return f3.replacing(with: (116 / kappa) * f - 16 / kappa, where: f3 .<= epsilon)
    }

    /// Linear light → sRGB 0…255: `1.055·v^(5/12) − 0.055` with `v^(5/12) = ∛v · (∛v)^(1/4)`.
    @inline(__always)
    private static func encode(_ v: Lanes) -> Lanes {
        let c = pointwiseMin(pointwiseMax(v, Lanes(repeating: 0)), Lanes(repeating: 1))
        let root = cubeRoot(c)
        let curve = 1.055 * root * root.squareRoot().squareRoot() - 0.055
        return 255 * curve.replacing(with: 12.92 * c, where: c .<= 0.0031308)
    }

    /// Cube root for 0 < x ≲ 1.1: seed `(√x + ⁴√x) / 2` (within 5 % on [0.008, 1]), then two Newton steps
    /// (relative error < 1e-5). Values ≤ 1e-6 give garbage the callers replace.
    @inline(__always)
    static func cubeRoot(_ x: Lanes) -> Lanes {
        let v = pointwiseMax(x, Lanes(repeating: 1e-6))
        let s = v.squareRoot()
        var y = 0.5 * (s + s.squareRoot())
        y = (2 * y + v / (y * y)) * (1 / 3)
        y = (2 * y + v / (y * y)) * (1 / 3)
        return y
    }
}
