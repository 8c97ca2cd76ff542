import Testing
@testable import Imaging

/// `ImageWarper.warp` of a mask: a map taking every output pixel onto a source pixel (read directly) gives what the
/// bilinear taps give, zero outside; a map without rotation or shear (taps found per column and row) gives exactly
/// what the per-pixel taps give.
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

    /// The general warp's value at (`u`, `v`): the point stepped along the row as it steps it, its taps per pixel.
    static func perPixel(_ mask: AlphaMask, _ m: AffineTransform2D, u: Int, v: Int) -> Float {
        var (sx, sy) = (m.b * Float(v) + m.tx, m.d * Float(v) + m.ty)
        for _ in 0..<u { sx += m.a; sy += m.c }
        guard let t = Bilinear.zeroPadded(sx, sy, width: mask.width, height: mask.height) else { return 0 }
        return mask.values.withUnsafeBufferPointer { Bilinear.sample($0.baseAddress!, t) }
    }

    @Test(arguments: [(1.0205, 0.37, 1.0205, -0.61), (0.5, -0.75, 0.5, 0.25), (1.75, 2.3, 0.9, -1.4),
                      (-1.1, 10.6, 1.3, 0.2), (0.97, -3.2, -0.97, 9.1)])
    func anAxisAlignedScaleGivesThePerPixelTapsValues(a: Float, tx: Float, d: Float, ty: Float) {
        let m = AffineTransform2D(a: a, b: 0, tx: tx, c: 0, d: d, ty: ty)
        let out = ImageWarper.warp(Self.mask, width: 14, height: 12, outputToSource: m)
        var same = true, inside = 0
        for v in 0..<12 {
            for u in 0..<14 {
                let expected = Self.perPixel(Self.mask, m, u: u, v: v)
                if out[u, v].bitPattern != expected.bitPattern { same = false }
                if expected > 0 { inside += 1 }
            }
        }
        #expect(same)
        #expect(inside > 20)  // the map reads the mask, not only the zero border
    }
}
