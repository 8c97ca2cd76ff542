import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

/// The score's border figures on synthetic swaps with a known seam.
@Suite struct SwapScoreTests {
    static let landmarks = TestFaces.landmarks(center: SIMD2(200, 190), scale: 10)
    static let original = TestImages.texture(width: 400, height: 380)

    /// The original with the face oval brightened by `step` in red, feathered by `sigma` pixels.
    static func pasted(step: Float, sigma: Float) -> RGBImage {
        var mask = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { landmarks.points2D[$0] }, width: 400, height: 380)
        mask.gaussianBlur(sigma: sigma)
        var out = original
        for y in 0..<380 {
            for x in 0..<400 {
                let p = out[x, y]
                out[x, y] = (UInt8(min(255, Float(p.r) + step * mask[x, y])), p.g, p.b)
            }
        }
        return out
    }

    static func score(_ output: RGBImage) -> SwapScore {
        var scorer = SwapScorer()
        for _ in 0..<3 {
            scorer.add(original: original, output: output, originalLandmarks: landmarks, outputLandmarks: landmarks)
        }
        return scorer.score
    }

    @Test func hardEdgeScoresWorseThanASoftOne() throws {
        let hard = Self.score(Self.pasted(step: 40, sigma: 0.5)), soft = Self.score(Self.pasted(step: 40, sigma: 12))
        #expect(hard.scoredFrames == 3)
        let hardSeam = try #require(hard.seamRatio), softSeam = try #require(soft.seamRatio)
        #expect(hardSeam > 1.1)
        #expect(softSeam < hardSeam)
        let hardColour = try #require(hard.colourExcess), softColour = try #require(soft.colourExcess)
        #expect(hardColour > 3)
        #expect(softColour < hardColour)
        // Same landmarks on both: no pose change; no change between frames: no flicker at all.
        #expect(hard.poseDifference == 0)
        #expect(hard.flickerRatio == nil)
    }

    /// `original` with the face oval 12 levels brighter, and averaged over 5 × 5 pixels when `smoothed`.
    static func brightened(_ original: RGBImage, smoothed: Bool) -> RGBImage {
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { landmarks.points2D[$0] }, width: 400, height: 380)
        var out = original
        for y in 2..<378 {
            for x in 2..<398 where oval[x, y] > 0.5 {
                var sum = SIMD3<Float>.zero, n: Float = 0
                for dy in (smoothed ? -2...2 : 0...0) {
                    for dx in (smoothed ? -2...2 : 0...0) {
                        let p = original[x + dx, y + dy]
                        sum += SIMD3(Float(p.r), Float(p.g), Float(p.b))
                        n += 1
                    }
                }
                let v = (sum / n + 12).rounded(.toNearestOrEven).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                out[x, y] = (UInt8(v.x), UInt8(v.y), UInt8(v.z))
            }
        }
        return out
    }

    @Test func aSmoothedFaceHasLessTextureThanTheOriginalsSkin() throws {
        // A grainy camera: the texture with noise of σ 6 levels per channel.
        let grainy = NoisyCameraTests.noisy(Self.original, sigma: 6)
        func ratio(smoothed: Bool) -> Double? {
            var scorer = SwapScorer()
            scorer.add(original: grainy, output: Self.brightened(grainy, smoothed: smoothed),
                       originalLandmarks: Self.landmarks, outputLandmarks: Self.landmarks)
            return scorer.score.textureRatio
        }
        let kept = try #require(ratio(smoothed: false)), smoothed = try #require(ratio(smoothed: true))
        #expect(abs(kept - 1) < 0.05, "kept \(kept)")
        #expect(smoothed < 0.6, "smoothed \(smoothed)")
    }

    @Test func untouchedOutputHasNothingToScore() {
        let same = Self.score(Self.original)
        #expect(same.frames == 3 && same.scoredFrames == 0)
        #expect(same.seamRatio == nil && same.colourExcess == nil)
    }
}

/// The colour figure compares skin: lips the inner ring runs past are left out.
@Suite struct SwapScoreSkinTests {
    @Test func lipsNearTheBorderAreNotSkin() throws {
        let landmarks = SwapScoreTests.landmarks, original = SwapScoreTests.original
        let points = landmarks.points2D
        let faceWidth = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width
        // The replaced region ends just below the lower lip, so the inner ring (6–10 % of the face width inside
        // the border) lies on it; inside, the output differs by a fine ±12 pattern that leaves every mean as it was.
        let cut = points[FaceMeshTopology.lowerLipBottom].y + 0.07 * faceWidth
        let outline = FaceMeshTopology.faceOval.map { SIMD2(points[$0].x, min(points[$0].y, cut)) }
        let oval = PolygonRasterizer.fill(outline, width: 400, height: 380)
        let lips = PolygonRasterizer.fill(FaceMeshTopology.outerLips.map { points[$0] }, width: 400, height: 380)
        func output(redLips: Bool) -> RGBImage {
            var out = original
            for y in 0..<380 {
                for x in 0..<400 where oval[x, y] > 0.5 {
                    let p = out[x, y]
                    let d: Float = (x + y) % 2 == 0 ? 12 : -12
                    func shift(_ v: UInt8) -> UInt8 { UInt8(min(max(Float(v) + d, 0), 255)) }
                    out[x, y] = redLips && lips[x, y] > 0.5 ? (230, 40, 50) : (shift(p.r), shift(p.g), shift(p.b))
                }
            }
            return out
        }
        func colour(_ image: RGBImage) throws -> Double {
            var scorer = SwapScorer()
            scorer.add(original: original, output: image, originalLandmarks: landmarks, outputLandmarks: landmarks)
            return try #require(scorer.score.colourExcess)
        }
        let plain = try colour(output(redLips: false)), red = try colour(output(redLips: true))
        #expect(abs(plain) < 0.5)
        #expect(abs(red - plain) < 0.1, "red lips moved the skin's colour figure \(plain) → \(red)")
    }
}
