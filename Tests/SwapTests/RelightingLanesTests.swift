import Imaging
import Stream
import Testing
@testable import Swap

/// The relighting's per-pixel product and the Lab colour transfer run eight pixels at a time (``PixelRun``): its
/// rounding, the relighting's edge fade and a row's short last run give what the pixel-by-pixel forms give.
@Suite struct RelightingLanesTests {
    @Test func storedColoursRoundAsTheBilinearStoreDoes() {
        // Values across and past 0…255, ties (x.5) and the sums just under and over them, in runs of 8 and of 5.
        let values: [Float] = stride(from: -3, through: 258, by: 0.125).flatMap { [$0, $0.nextDown, $0.nextUp] }
        for runLength in [8, 5] {
            for start in stride(from: 0, to: values.count - 8, by: 8) {
                let lanes = PixelRun(x: 0, end: runLength)
                var rgb = PixelRun.RGB(r: .zero, g: .zero, b: .zero)
                for k in 0..<8 {
                    rgb.r[k] = values[start + k]
                    rgb.g[k] = values[start + 7 - k]
                    rgb.b[k] = values[start + (k * 3) % 8]
                }
                // Every other lane active; the bytes of the others, and past the run, stay as they were (7).
                let lane = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
                let active = lane % 2 .== 1 .| lane .< 2
                var pixels = [UInt8](repeating: 7, count: 24)
                pixels.withUnsafeMutableBufferPointer { lanes.store(rgb, to: $0.baseAddress!, where: active) }
                var expected = [UInt8](repeating: 7, count: 24)
                for k in 0..<runLength where active[k] {
                    expected[3 * k] = Bilinear.byte(rgb.r[k])
                    expected[3 * k + 1] = Bilinear.byte(rgb.g[k])
                    expected[3 * k + 2] = Bilinear.byte(rgb.b[k])
                }
                #expect(pixels == expected, "run of \(runLength) from value \(values[start])")
            }
        }
    }

    @Test func theEdgeFadeIsTheDetailsOwn() {
        for fade: ClosedRange<Float> in [0...1, 0.2...0.6, 0.5...0.5] {
            for start in stride(from: Float(-0.1), through: 1.2, by: 0.08) {
                let m = PixelRun.V((0..<8).map { start + Float($0) * 0.01 })
                let shares = Relighting.Detail.edgeShare(m, over: fade)
                for k in 0..<8 {
                    #expect(shares[k] == Relighting.Detail.edgeShare(m[k], over: fade), "level \(m[k]) over \(fade)")
                }
            }
        }
    }

    @Test func aRowsShortLastRunIsMultipliedAndNothingOutsideTheRegion() {
        // 203 columns: 25 runs of eight and one of three. A gain of 1.2 everywhere, no detail, no chroma: each
        // pixel in the region is its colour × 1.2, rounded; outside it the face is as it was.
        let (w, h) = (203, 9)
        var face = RGBImage(width: w, height: h)
        var region = AlphaMask(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                face[x, y] = (UInt8((x * 7 + y) % 200), UInt8((x * 3 + 2 * y) % 210), UInt8((x + 5 * y) % 190))
                if (x + y) % 3 != 0 { region[x, y] = 1 }
            }
        }
        let step = Relighting.step
        let (lw, lh) = ((w + step - 1) / step, (h + step - 1) / step)
        let ratio = [Float](repeating: 1.2, count: 3 * lw * lh)
        var out = face
        Relighting.multiply(&out, by: ratio, width: lw, height: lh, region: region,
                            faceShade: [Float](repeating: 0.5, count: lw * lh))
        for y in 0..<h {
            for x in 0..<w {
                let (p, q) = (face[x, y], out[x, y])
                if region[x, y] > 0 {
                    let expected = (Bilinear.byte(Float(p.r) * 1.2), Bilinear.byte(Float(p.g) * 1.2),
                                    Bilinear.byte(Float(p.b) * 1.2))
                    #expect(q == expected, "pixel (\(x), \(y)): \(q), expected \(expected)")
                } else {
                    #expect(q == p, "pixel (\(x), \(y)) outside the region changed")
                }
            }
        }
    }
}
