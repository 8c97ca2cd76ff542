import Testing
@testable import Imaging

/// `ImageWarper.warp` of a mask: a map taking every output pixel onto a source pixel (read directly) gives what the
/// bilinear taps give, zero outside.
@Suite struct MaskWarpTests {
    static var mask: AlphaMask {
        var mask = AlphaMask(width: 11, height: 9)
        for i in mask.values.indices { mask.values[i] = Float((i * 37) % 101) / 100 + 0.01 }  // none 0
        return mask
    }

    @Test(arguments: [(3, -2, 2, 1), (1, 4, 1, -3), (-2, 12, 1, 0), (-1, 5, -1, 8), (0, 3, 2, 0), (2, 20, 1, 0),
                       (0, -1, 1, 0), (0, 11, 1, 0), (-1, -1, 1, 0), (-3, 4, 0, 2), (1, 0, 0, 9)])
    func aLatticeReadsTheSourcePixelsItLandsOn(dx: Int, x0: Int, dy: Int, y0: Int) {
        let m = AffineTransform2D(a: Float(dx), b: 0, tx: Float(x0), c: 0, d: Float(dy), ty: Float(y0))
        let out = ImageWarper.warp(Self.mask, width: 9, height: 6, outputToSource: m)
        for v in 0..<6 {
            for u in 0..<9 {
                let (x, y) = (dx * u + x0, dy * v + y0)
                let expected: Float = x >= 0 && x < 11 && y >= 0 && y < 9 ? Self.mask[x, y] : 0
                #expect(out[u, v] == expected, "(\(u), \(v))")
            }
        }
    }

    @Test func aLatticeAgreesWithTheBilinearTapsBesideIt() {
        // A hair off the lattice takes the bilinear path; it must read (almost) the same.
        let on = AffineTransform2D(a: 2, b: 0, tx: 1, c: 0, d: 1, ty: 0)
        var off = on
        off.tx += 1e-4
        let a = ImageWarper.warp(Self.mask, width: 5, height: 9, outputToSource: on)
        let b = ImageWarper.warp(Self.mask, width: 5, height: 9, outputToSource: off)
        for i in a.values.indices { #expect(abs(a.values[i] - b.values[i]) < 1e-3) }
    }
}
