import Stream
import Testing
@testable import Face
@testable import Imaging
@testable import Swap

/// Tinted lenses and sunglasses drawn on the astronaut (``GlassesLensTests``' glasses, with the lenses filled): a
/// dark lens is kept whole in front of the new face, a clear one not at all.
@Suite struct GlassesTintTests {
    /// The drawn glasses with each lens letting `transmission` of the face through over a dark brown tint.
    static func withLenses(_ glasses: GlassesLensTests.Glasses, transmission: Float) -> RGBImage {
        var image = GlassesLensTests.withGlasses(glasses)
        let tint = SIMD3<Float>(40, 32, 28)
        for y in 0..<image.height {
            for x in 0..<image.width where glasses.inLens(SIMD2(Float(x), Float(y)), margin: 1.5) {
                let p = image[x, y]
                let v = SIMD3(Float(p.r), Float(p.g), Float(p.b)) * transmission + tint * (1 - transmission)
                image[x, y] = (UInt8(v.x.rounded()), UInt8(v.y.rounded()), UInt8(v.z.rounded()))
            }
        }
        return image
    }

    /// The kept tinted lenses of `image`: its mean over the lenses' interiors (clear of the rims by 0.05 eye
    /// distances), or nil when none is kept.
    static func keptLenses(_ image: RGBImage, _ glasses: GlassesLensTests.Glasses) throws -> Float? {
        let points = GlassesLensTests.points
        let found = try #require(GlassesDetector.detect(in: image, points: points))
        #expect(found.evidence > GlassesDetector.presentAbove)
        let lenses = GlassesDetector.lenses(of: found.lines, fit: RimFit(in: image, points: points), points: points)
        #expect(lenses.allSatisfy { $0.outline != nil }, "both lenses outlined")
        guard let kept = GlassesDetector.tintedLenses(in: image, lenses: lenses, points: points) else { return nil }
        var sum: Float = 0, count: Float = 0
        for y in 0..<image.height {
            for x in 0..<image.width where glasses.inLens(SIMD2(Float(x), Float(y)), margin: 0.05 * glasses.axis.d) {
                sum += kept[x, y]
                count += 1
            }
        }
        return sum / max(count, 1)
    }

    @Test func sunglassesAreKeptWholeClearLensesNot() throws {
        let glasses = GlassesLensTests.Glasses()
        let dark = try #require(try Self.keptLenses(Self.withLenses(glasses, transmission: 0.12), glasses))
        #expect(dark > 0.95, "sunglasses kept \(dark) of their lenses")
        // Clear lenses (the frames alone, the eyes seen through them): nothing kept.
        #expect(try Self.keptLenses(GlassesLensTests.withGlasses(glasses), glasses) == nil)
        // A light tint: in between.
        let tinted = try Self.keptLenses(Self.withLenses(glasses, transmission: 0.45), glasses) ?? 0
        #expect(tinted > 0.1 && tinted < 0.9, "a lens letting 45 % through kept \(tinted)")
    }

    @Test func mergedBehindSunglassesTheLensesStayTheTargets() throws {
        // A flat red new face merged under `auto`: through dark lenses the output is the target's lens, not red
        // skin round the target's kept eyes (the frames alone, as before).
        let glasses = GlassesLensTests.Glasses()
        let frame = Self.withLenses(glasses, transmission: 0.12)
        let swap = SwappedFace.flat((230, 60, 60), like: frame)
        var options = FaceMerger.Options()
        options.relighting.strength = 0
        options.colorTransfer = .none
        options.blend = .alpha
        var out = frame
        let landmarks = FaceLandmarks(points: GlassesLensTests.points.map { SIMD3($0, 0) }, presence: 1)
        FaceMerger(options: options).merge(swap, landmarks: landmarks, into: &out)
        var error = 0.0, n = 0
        for y in 0..<out.height {
            for x in 0..<out.width where glasses.inLens(SIMD2(Float(x), Float(y)), margin: 0.05 * glasses.axis.d) {
                error += abs(Double(out[x, y].r) - Double(frame[x, y].r))
                n += 1
            }
        }
        #expect(n > 100 && error / Double(n) < 8, "lens pixels changed by \(error / Double(max(n, 1))) levels")
    }
}
