import Imaging
import Testing

/// `PolygonRasterizer.fill(_:width:height:grownBy:feather:)` works in the polygons' own box: it must give what
/// filling, growing and feathering the whole canvas gives.
@Suite struct PolygonFillGrownTests {
    /// Rings like a face's features (irregular, sub-pixel corners), one near the canvas edge.
    static let rings: [[SIMD2<Float>]] = [
        [SIMD2(40.3, 52.7), SIMD2(61.9, 47.2), SIMD2(83.55, 55.1), SIMD2(70.2, 63.85), SIMD2(47.7, 61.3)],
        [SIMD2(101.1, 98.4), SIMD2(131.6, 92.05), SIMD2(127.25, 117.9), SIMD2(104.8, 112.35)],
        [SIMD2(2.4, 140.6), SIMD2(19.15, 133.3), SIMD2(14.9, 151.7)],
    ]

    @Test(arguments: [(0, Float(0)), (1, 0), (3, 0), (14, 0), (2, 1.5), (4, 3.2), (-1, 0)])
    func matchesTheWholeCanvas(grow: Int, sigma: Float) throws {
        let (w, h) = (160, 155)
        var whole = AlphaMask(width: w, height: h)
        for ring in Self.rings { PolygonRasterizer.fill(ring, into: &whole) }
        whole.erode(pixels: -grow)
        whole.gaussianBlur(sigma: sigma)
        let placed = try #require(PolygonRasterizer.fill(Self.rings, width: w, height: h, grownBy: grow, feather: sigma))
        let local = AlphaMask(width: w, height: h, placing: placed)
        let worst = zip(whole.values, local.values).map { abs($0 - $1) }.max() ?? 0
        // Bit for bit up to σ 2 (an exact kernel); a wider feather's running sums start elsewhere: last bits only.
        #expect(sigma <= 2 ? worst == 0 : worst < 1e-6, "largest difference \(worst)")
        #expect(placed.mask.width < w || placed.mask.height < h)
    }
}
