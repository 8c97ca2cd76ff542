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

    @Test func untouchedOutputHasNothingToScore() {
        let same = Self.score(Self.original)
        #expect(same.frames == 3 && same.scoredFrames == 0)
        #expect(same.seamRatio == nil && same.colourExcess == nil)
    }
}
