import Foundation
import Stream
import Testing
@testable import Swap

@Suite struct MeshSwapperTests {
    static let source = TestImages.texture(width: 400, height: 400, phase: 1)
    static let sourceLandmarks = TestFaces.landmarks(center: SIMD2(200, 190), scale: 11)
    static let target = TestFaces.landmarks(center: SIMD2(330, 250), scale: 8, rotation: 0.3)
    static let frame = TestImages.texture(width: 640, height: 480, phase: 3)
    /// Source photo → target frame, the similarity both layouts differ by.
    static let sourceToFrame = AffineTransform2D(translation: -SIMD2<Float>(200, 190))
        .concatenating(AffineTransform2D(scale: 8 / 11, rotation: 0.3, translation: SIMD2(330, 250)))

    @Test func putsTheSourceTextureOnTheTargetFace() throws {
        let swapper = try MeshSwapper(source: Self.source, sourceLandmarks: Self.sourceLandmarks)
        #expect(swapper.alignment == nil)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: Self.frame, landmarks: Self.target)))
        let mask = try #require(swap.mask)
        // Expected: the photo carried by the known similarity.
        let frameToSource = try #require(Self.sourceToFrame.inverted())
        let expected = ImageWarper.warp(Self.source, width: 640, height: 480, outputToSource: frameToSource)
        var se = 0.0, n = 0
        for y in 0..<swap.image.height {
            for x in 0..<swap.image.width where mask[x, y] > 0 {
                let f = swap.toFrame.apply(SIMD2(Float(x), Float(y)))
                let (got, want) = (swap.image[x, y], expected[Int(f.x), Int(f.y)])
                let d = Double(got.g) - Double(want.g)
                se += d * d
                n += 1
            }
        }
        #expect(n > 10000)
        #expect(10 * log10(255 * 255 / max(se / Double(n), 1e-9)) > 35)
        // The target's eyes and mouth opening are left alone.
        for ring in FaceMeshTriangulation.holes {
            let c = ring.map { Self.target.points2D[$0] }.reduce(.zero, +) / Float(ring.count)
            let local = try #require(swap.toFrame.inverted()).apply(c)
            #expect(mask[Int(local.x.rounded()), Int(local.y.rounded())] == 0)
        }
        // Through the merger (no colour change): the frame shows the photo on the nose, the frame elsewhere.
        var options = FaceMerger.Options()
        options.colorTransfer = .none
        var out = Self.frame
        FaceMerger(options: options).merge(swap, landmarks: Self.target, into: &out)
        let nose = Self.target.points2D[4]
        let (nx, ny) = (Int(nose.x.rounded()), Int(nose.y.rounded()))
        #expect(abs(Int(out[nx, ny].g) - Int(expected[nx, ny].g)) <= 2)
        #expect(out[10, 10] == Self.frame[10, 10])
    }

    @Test func fadesOutWithYaw() throws {
        let swapper = try MeshSwapper(source: Self.source, sourceLandmarks: Self.sourceLandmarks)
        #expect(swapper.strength(yaw: -20) == 1 && swapper.strength(yaw: 47.5) == 0.5 && swapper.strength(yaw: -70) == 0)
        let turned = FaceSwapInput(frame: Self.frame, landmarks: Self.target, pose: HeadPose(yaw: 47.5, pitch: 0, roll: 0))
        let half = try #require(try swapper.swap(turned))
        #expect(half.mask?.values.max() == 0.5)
        let profile = FaceSwapInput(frame: Self.frame, landmarks: Self.target, pose: HeadPose(yaw: 65, pitch: 0, roll: 0))
        #expect(try swapper.swap(profile) == nil)
        #expect(throws: MeshSwapperError.wrongLandmarkCount(3)) {
            try MeshSwapper(source: Self.source, sourceLandmarks: FaceLandmarks(points: [.zero, .zero, .zero], presence: 1))
        }
    }
}
