import Stream
import Testing
@testable import Imaging
import TestSupport

/// The gradient-domain blend: the face keeps its own detail, takes the frame's level at its border, and nothing
/// reaches past the mask.
@Suite struct PoissonBlendTests {
    static let (width, height) = (150, 110)
    static let centre = SIMD2<Float>(75, 55)

    /// A disc of radius 40 round the centre: 1 inside, 0 outside.
    static var disc: AlphaMask {
        var mask = AlphaMask(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width where ((SIMD2(Float(x), Float(y)) - centre) * (SIMD2(Float(x), Float(y)) - centre)).sum() < 1600 {
                mask[x, y] = 1
            }
        }
        return mask
    }

    /// `image` with `offset(x, y)` added to every channel (the images stay inside 0…255).
    static func shifted(_ image: RGBImage, by offset: (Int, Int) -> Float) -> RGBImage {
        var out = image
        for y in 0..<height {
            for x in 0..<width {
                let p = image[x, y], o = offset(x, y)
                out[x, y] = (UInt8(Float(p.r) + o), UInt8(Float(p.g) + o), UInt8(Float(p.b) + o))
            }
        }
        return out
    }

    /// A texture in 60…190, so shifts of up to ±60 stay in range.
    static let texture: RGBImage = {
        var t = TestImages.texture(width: width, height: height, phase: 1)
        for i in t.pixels.indices { t.pixels[i] = UInt8(60 + Float(t.pixels[i]) * 0.5) }
        return t
    }()

    @Test func aFaceLitDifferentlyTakesTheFramesLevelAndKeepsItsDetail() {
        // The face is the frame's own texture, brighter by 40 and with a ramp across it (another light): the
        // membrane takes both out (a constant and a ramp are harmonic), so nothing of the face's light is left.
        let under = Self.texture
        let over = Self.shifted(under) { x, _ in 30 + 0.2 * Float(x - 75) }
        let d = PoissonBlend.difference(over: over, under: under, mask: Self.disc)
        let worst = d.map { max($0.max(), -$0.min()) }.max()!
        #expect(worst < 1.5, "largest change left \(worst)")
    }

    @Test func theFacesDetailStaysInsideAndNothingReachesPastTheMask() {
        // Another face's texture over the frame's, 40 brighter: inside, the result's fine detail is the face's
        // (its gradients); past the mask nothing changes.
        let under = Self.texture
        let over = Self.shifted(TestImages.texture(width: Self.width, height: Self.height, phase: 2.5)) { _, _ in 0 }
        let mask = Self.disc
        let d = PoissonBlend.difference(over: over, under: under, mask: mask)
        func result(_ x: Int, _ y: Int) -> SIMD4<Float> {
            let u = under[x, y]
            return SIMD4(Float(u.r), Float(u.g), Float(u.b), 0) + d[y * Self.width + x]
        }
        func face(_ x: Int, _ y: Int) -> SIMD4<Float> {
            let o = over[x, y]
            return SIMD4(Float(o.r), Float(o.g), Float(o.b), 0)
        }
        // Within 20 pixels of the centre the result's Laplacian is the face's (what the blend solves for): the
        // correction added to the face is a membrane, smooth, with no detail of its own.
        func laplacian(_ f: (Int, Int) -> SIMD4<Float>, _ x: Int, _ y: Int) -> SIMD4<Float> {
            f(x - 1, y) + f(x + 1, y) + f(x, y - 1) + f(x, y + 1) - 4 * f(x, y)
        }
        var worst: Float = 0, largest: Float = 0
        for y in 40...70 {
            for x in 60...90 {
                let own = laplacian(face, x, y)
                let off = laplacian(result, x, y) - own
                worst = max(worst, off.max(), -off.min())
                largest = max(largest, own.max(), -own.min())
            }
        }
        #expect(largest > 4, "the face's texture has a Laplacian of up to \(largest)")
        #expect(worst < 0.5, "the result's Laplacian is off the face's by up to \(worst)")
        // At its border the face meets the frame: in a ring just inside the disc the change is a fraction of the
        // face's difference from the frame there.
        var change: Float = 0, apart: Float = 0
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                let r = ((SIMD2(Float(x), Float(y)) - Self.centre) * (SIMD2(Float(x), Float(y)) - Self.centre)).sum().squareRoot()
                guard r >= 36, r < 39 else { continue }
                let u = under[x, y]
                let gap = face(x, y) - SIMD4(Float(u.r), Float(u.g), Float(u.b), 0)
                let c = d[y * Self.width + x]
                change += abs(c.x) + abs(c.y) + abs(c.z)
                apart += abs(gap.x) + abs(gap.y) + abs(gap.z)
            }
        }
        #expect(change < 0.5 * apart, "at the border the face changes the frame by \(change / apart) of its difference")
        var outside: Float = 0
        for y in 0..<Self.height {
            for x in 0..<Self.width where mask[x, y] == 0 {
                outside = max(outside, d[y * Self.width + x].max(), -d[y * Self.width + x].min())
            }
        }
        #expect(outside == 0, "changed past the mask by \(outside)")
    }
}
