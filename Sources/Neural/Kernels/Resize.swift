import Foundation

/// Bilinear or nearest-neighbour resize of an NHWC tensor with TFLite's `align_corners` / `half_pixel_centers`.
struct Resize: Kernel {
    enum Mode: Sendable { case bilinear, nearest }

    /// Source taps of one output coordinate: `value = in[lo]·(1 − t) + in[hi]·t`.
    struct Tap: Sendable { var lo: Int, hi: Int, t: Float }

    let batch: Int, inHeight: Int, inWidth: Int, channels: Int
    let rows: [Tap]
    let cols: [Tap]

    init(mode: Mode, input: TensorShape, outHeight: Int, outWidth: Int, alignCorners: Bool, halfPixelCenters: Bool) {
        (batch, inHeight, inWidth, channels) = input.nhwc
        rows = Resize.taps(mode, input[1], outHeight, alignCorners, halfPixelCenters)
        cols = Resize.taps(mode, input[2], outWidth, alignCorners, halfPixelCenters)
    }

    static func taps(_ mode: Mode, _ n: Int, _ out: Int, _ alignCorners: Bool, _ halfPixel: Bool) -> [Tap] {
        let scale = alignCorners && out > 1 ? Float(n - 1) / Float(out - 1) : Float(n) / Float(out)
        return (0..<out).map { i in
            switch mode {
            case .bilinear:
                let src = max(0, halfPixel ? (Float(i) + 0.5) * scale - 0.5 : Float(i) * scale)
                let lo = min(Int(src.rounded(.down)), n - 1)
                return Tap(lo: lo, hi: min(lo + 1, n - 1), t: src - Float(lo))
            case .nearest:
                let src = (Float(i) + (halfPixel ? 0.5 : 0)) * scale
                let j = max(0, min(alignCorners ? Int(src.rounded(.toNearestOrAwayFromZero)) : Int(src.rounded(.down)), n - 1))
                return Tap(lo: j, hi: j, t: 0)
            }
        }
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let c = channels
        var out = output
        for n in 0..<batch {
            let image = inputs[0] + n * inHeight * inWidth * c
            for r in rows {
                let top = image + r.lo * inWidth * c, bottom = image + r.hi * inWidth * c
                let ty = r.t
                for q in cols {
                    let tx = q.t
                    let a = top + q.lo * c, b = top + q.hi * c, d = bottom + q.lo * c, e = bottom + q.hi * c
                    var ch = 0
                    while ch < c {
                        if ch + 8 <= c {
                            let va = SIMD8<Float>.load(a + ch), vb = SIMD8<Float>.load(b + ch)
                            let vd = SIMD8<Float>.load(d + ch), ve = SIMD8<Float>.load(e + ch)
                            let upper = va + (vb - va) * tx
                            let lower = vd + (ve - vd) * tx
                            (upper + (lower - upper) * ty).store(to: out + ch)
                            ch += 8
                        } else {
                            let upper = a[ch] + (b[ch] - a[ch]) * tx
                            let lower = d[ch] + (e[ch] - d[ch]) * tx
                            out[ch] = upper + (lower - upper) * ty
                            ch += 1
                        }
                    }
                    out += c
                }
            }
        }
    }
}
