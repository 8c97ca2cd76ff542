import Foundation
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap
import Stream

/// The one-shot swap lays the photo's face with the photo's proportions, the target's pose and expression.
@Suite struct IdentityShapeTests {
    /// The canonical face with everything inside the oval spread 15 % sideways about the nose: wide-set eyes, a
    /// wide nose and mouth on the same outline.
    static func wideSet(_ face: FaceLandmarks) -> FaceLandmarks {
        let oval = Set(FaceMeshTopology.faceOval)
        let c = face.points[FaceMeshTopology.noseTip]
        var points = face.points
        for i in points.indices where !oval.contains(i) { points[i].x = c.x + 1.15 * (points[i].x - c.x) }
        return FaceLandmarks(points: points, presence: 1)
    }

    static let photo = wideSet(TestFaces.landmarks(center: SIMD2(200, 190), scale: 11))
    static let target = TestFaces.landmarks(center: SIMD2(330, 250), scale: 8, rotation: 0.3)

    static func swapper(photo: RGBImage = TestImages.texture(width: 400, height: 400, phase: 1)) throws -> MeshSwapper {
        var options = MeshSwapper.Options()
        options.identityShape = 1
        // A texture, not a face: none of it is the photo's hair (``PhotoHair`` would take its brow line for a
        // fringe's edge; ``PhotoLocks`` its darker sides for locks).
        options.hair.minimumShare = .infinity
        options.locks = nil
        return try MeshSwapper(source: photo, sourceLandmarks: Self.photo, options: options)
    }

    static func eyeSpacing(_ p: [SIMD2<Float>]) -> Float {
        simd_distance(p[FaceMeshTopology.leftEyeOuter], p[FaceMeshTopology.rightEyeOuter])
    }

    @Test func theNewFaceTakesThePhotosProportionsOnTheTargetsOutline() throws {
        let swapper = try Self.swapper()
        let target = Self.target.points2D
        let placed = swapper.place(FaceSwapInput(frame: TestImages.texture(width: 640, height: 480, phase: 3),
                                                 landmarks: Self.target))
        // The oval stays the target's; the eyes are set wider, towards the photo's 15 % (less: the face's size is
        // measured over its inner points too, which the photo also has wider).
        for i in FaceMeshTopology.faceOval { #expect(simd_distance(placed[i], target[i]) < 0.01) }
        let ratio = Self.eyeSpacing(placed) / Self.eyeSpacing(target)
        #expect(ratio > 1.05 && ratio < 1.16, "eye spacing ×\(ratio), want 1.05…1.16")
        // Turned with the target's roll: the eye line keeps its angle.
        let d = placed[FaceMeshTopology.leftEyeOuter] - placed[FaceMeshTopology.rightEyeOuter]
        #expect(abs(atan2(d.y, d.x) - 0.3) < 0.01)

        var off = swapper
        off.options.identityShape = 0
        #expect(off.place(FaceSwapInput(frame: TestImages.texture(width: 64, height: 64, phase: 0),
                                        landmarks: Self.target)) == target)
    }

    @Test func theTargetsExpressionPassesThroughAgainstItsNeutralFace() throws {
        let swapper = try Self.swapper()
        let frame = TestImages.texture(width: 640, height: 480, phase: 3)
        for _ in 0..<30 { _ = swapper.place(FaceSwapInput(frame: frame, landmarks: Self.target, trackID: 7)) }
        let neutral = swapper.place(FaceSwapInput(frame: frame, landmarks: Self.target, trackID: 7))
        // The jaw drops by 12 px: the lower lip and chin points move, the rest of the face stays.
        var open = Self.target
        let lower = [FaceMeshTopology.lowerInnerLip, 17, 84, 314]
        for i in lower { open.points[i] += SIMD3(0, 12, 0) }
        let opened = swapper.place(FaceSwapInput(frame: frame, landmarks: open, trackID: 7))
        for i in lower {
            let moved = opened[i] - neutral[i]
            #expect(simd_distance(moved, SIMD2(0, 12)) < 1, "point \(i) moved \(moved)")
        }
        #expect(simd_distance(opened[FaceMeshTopology.upperInnerLip], neutral[FaceMeshTopology.upperInnerLip]) < 0.5)
    }

    @Test func thePhotosFeaturesAreDrawnWhereItsProportionsPutThem() throws {
        // A red mark on the photo's brow lands on the moved brow, not on the target's.
        var photo = TestImages.texture(width: 400, height: 400, phase: 1)
        let brow = Self.photo.points2D[105]
        for y in Int(brow.y) - 3...Int(brow.y) + 3 {
            for x in Int(brow.x) - 3...Int(brow.x) + 3 { photo[x, y] = (r: 255, g: 0, b: 0) }
        }
        let swapper = try Self.swapper(photo: photo)
        let frame = TestImages.texture(width: 640, height: 480, phase: 3)
        let input = FaceSwapInput(frame: frame, landmarks: Self.target)
        let swap = try #require(try swapper.swap(input))
        let toLocal = try #require(swap.toFrame.inverted())
        func isRed(_ p: SIMD2<Float>) -> Bool {
            let q = toLocal.apply(p)
            let c = swap.image[Int(q.x.rounded()), Int(q.y.rounded())]
            return c.r > 200 && c.g < 60 && c.b < 60
        }
        let moved = swapper.place(input)[105], kept = Self.target.points2D[105]
        #expect(simd_distance(moved, kept) > 3)
        #expect(isRed(moved), "no mark at the moved brow \(moved)")
        #expect(!isRed(kept), "the mark is at the target's brow \(kept)")
        // The swap tells the merger where the new features are and brings the target's own face there.
        let landmarks = try #require(swap.landmarks)
        #expect(simd_distance(landmarks.points2D[105], moved) < 0.01)
        #expect(swap.target?.width == swap.image.width)
    }

    @Test func theMergerKeepsTheTargetsEyesWhereTheSwapMovedThem() {
        // A grey new face whose features sit 6 px right of the target's, and the target moved there drawn green.
        let frame = TestImages.texture(width: 640, height: 480, phase: 3)
        var moved = Self.target
        for i in moved.points.indices { moved.points[i].x += 6 }
        var face = RGBImage(width: 640, height: 480), target = RGBImage(width: 640, height: 480)
        for y in 0..<480 { for x in 0..<640 { face[x, y] = (100, 100, 100); target[x, y] = (30, 200, 30) } }
        let swap = SwappedFace(image: face, mask: nil, toFrame: AffineTransform2D(translation: .zero),
                               keptParts: [.eyes], landmarks: moved, target: target)
        var options = FaceMerger.Options()
        options.relighting.strength = 0
        options.colorTransfer = .none
        options.blend = .alpha
        options.keepHair = .off  // the frame is a texture, not a face: much of it would count as hair
        var out = frame
        FaceMerger(options: options).merge(swap, landmarks: Self.target, into: &out)
        for ring in [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye] {
            let c = ring.map { moved.points2D[$0] }.reduce(.zero, +) / Float(ring.count)
            let p = out[Int(c.x.rounded()), Int(c.y.rounded())]
            #expect(p.g > 190 && p.r < 40, "eye centre \(p): want the moved target's")
        }
        // The nose is the new face.
        let nose = moved.points2D[FaceMeshTopology.noseTip]
        #expect(out[Int(nose.x.rounded()), Int(nose.y.rounded())] == (100, 100, 100))
    }
}
