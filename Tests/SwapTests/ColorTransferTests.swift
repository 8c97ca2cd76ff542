import Foundation
import Stream
import Testing
@testable import Imaging
import TestSupport
@testable import Swap

@Suite struct ColorTransferTests {
    static let size = 96

    /// A disc mask with soft edges; zero elsewhere.
    static let mask: AlphaMask = {
        var m = PolygonRasterizer.fill((0..<32).map { k in
            let a = Float(k) / 32 * 2 * .pi
            return SIMD2(48 + 30 * cos(a), 48 + 30 * sin(a))
        }, width: size, height: size)
        m.gaussianBlur(sigma: 2)
        return m
    }()

    /// A texture with its colours squeezed into `range` per channel; pure black outside the disc so that any
    /// counting of masked-out pixels would shift the statistics.
    static func image(phase: Float, low: SIMD3<Float>, high: SIMD3<Float>) -> RGBImage {
        let t = TestImages.texture(width: size, height: size, phase: phase)
        var out = RGBImage(width: size, height: size)
        for y in 0..<size {
            for x in 0..<size where mask[x, y] > 0 {
                let p = t[x, y]
                let c = low + (high - low) * SIMD3(Float(p.r), Float(p.g), Float(p.b)) / 255
                out[x, y] = (UInt8(c.x), UInt8(c.y), UInt8(c.z))
            }
        }
        return out
    }

    /// Moments over the part of the mask the transfer measures (its solid part, weighted by the mask).
    static func moments(_ img: RGBImage, lab: Bool) -> (mean: SIMD3<Double>, sd: SIMD3<Double>, cov: [Double]) {
        let converter = LabColor()
        var m = WeightedMoments()
        for y in 0..<size {
            for x in 0..<size where mask[x, y] >= ColorTransfer.statisticsThreshold {
                let p = img[x, y]
                let v = lab ? converter.lab(p.r, p.g, p.b) : SIMD3(Float(p.r), Float(p.g), Float(p.b))
                m.add(v, weight: mask[x, y], full: true)
            }
        }
        let c = m.covariance
        return (m.mean, SIMD3(c[0], c[4], c[8]).squareRoot(), c)
    }

    @Test func labConversionMatchesReferenceValues() {
        let lab = LabColor()
        let white = lab.lab(255, 255, 255), red = lab.lab(255, 0, 0)
        #expect(abs(white.x - 100) < 0.01 && abs(white.y) < 0.01 && abs(white.z) < 0.01)
        #expect(abs(red.x - 53.24) < 0.05 && abs(red.y - 80.09) < 0.1 && abs(red.z - 67.20) < 0.1)
        let back = lab.rgb(lab.lab(200, 120, 40))
        #expect(abs(back.x - 200) < 0.3 && abs(back.y - 120) < 0.3 && abs(back.z - 40) < 0.3)
    }

    @Test func rctMovesMaskedLabStatisticsToTheReference() {
        var swap = Self.image(phase: 0, low: SIMD3(20, 60, 90), high: SIMD3(120, 140, 220))
        let reference = Self.image(phase: 2, low: SIMD3(120, 80, 50), high: SIMD3(230, 180, 140))
        let before = Self.moments(swap, lab: true), want = Self.moments(reference, lab: true)
        let untouched = swap
        ColorTransfer.rct.apply(to: &swap, reference: reference, mask: Self.mask)
        let got = Self.moments(swap, lab: true)
        for c in 0..<3 {
            #expect(abs(got.mean[c] - want.mean[c]) < 0.5, "mean[\(c)] \(got.mean[c]) vs \(want.mean[c]), was \(before.mean[c])")
            #expect(abs(got.sd[c] - want.sd[c]) < 0.05 * want.sd[c] + 0.3, "sd[\(c)] \(got.sd[c]) vs \(want.sd[c])")
        }
        #expect(abs(before.mean[0] - want.mean[0]) > 10)  // it really moved
        for y in 0..<Self.size { for x in 0..<Self.size where Self.mask[x, y] == 0 { #expect(swap[x, y] == untouched[x, y]) } }
    }

    @Test func lctMatchesMaskedCovariance() {
        var swap = Self.image(phase: 1, low: SIMD3(30, 40, 50), high: SIMD3(150, 120, 230))
        let reference = Self.image(phase: 4, low: SIMD3(100, 70, 60), high: SIMD3(220, 190, 150))
        let want = Self.moments(reference, lab: false)
        ColorTransfer.lct.apply(to: &swap, reference: reference, mask: Self.mask)
        let got = Self.moments(swap, lab: false)
        for c in 0..<3 { #expect(abs(got.mean[c] - want.mean[c]) < 1) }
        for k in 0..<9 { #expect(abs(got.cov[k] - want.cov[k]) < 0.04 * (want.cov[0] + want.cov[4] + want.cov[8]) / 3) }
        var none = Self.image(phase: 1, low: SIMD3(30, 40, 50), high: SIMD3(150, 120, 230))
        let copy = none
        ColorTransfer.none.apply(to: &none, reference: reference, mask: Self.mask)
        #expect(none == copy)
    }
}
