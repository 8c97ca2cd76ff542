import Face
import Imaging
import Stream
import Testing
@testable import Swap

/// A target whose brows sit above FaceMesh's brow rings gets the photo's brows drawn over its own, not a ring's
/// height below them. On the committed astronaut enlarged three times with a pair of brows painted at a chosen
/// height (``TargetBrowRiseTests/target(rise:shade:)``).
@Suite struct TargetBrowOffsetTests {
    typealias Scene = TargetBrowRiseTests

    /// The height (share of the face width above the rings' upper edges) of the darkest row across the brows'
    /// inner parts in `image`, searched from `from` to `to`.
    static func darkestHeight(in image: RGBImage, from: Float, to: Float) -> Float {
        let steps = Int(((to - from) / 0.005).rounded())
        let heights = (0...steps).map { from + Float($0) * 0.005 }
        let mid = (Scene.points[FaceMeshTopology.rightEyebrowRing[0]] + Scene.points[FaceMeshTopology.leftEyebrowRing[0]]) / 2
        let across = SIMD2(-Scene.up.y, Scene.up.x)
        let lumas = heights.map { h -> Float in
            let line = Scene.browLine(rise: h).filter { abs((($0 - mid) * across).sum()) < 0.25 * Scene.faceWidth }
            return line.reduce(0) { sum, q in
                let p = image[Int(q.x.rounded()), Int(q.y.rounded())]
                return sum + (Float(p.r) + Float(p.g) + Float(p.b)) / 3
            } / Float(line.count)
        }
        return heights[lumas.indices.min { lumas[$0] < lumas[$1] }!]
    }

    @Test func browsAboveTheirRingsAreMeasuredFromTheirCentre() {
        // The painted band runs from 2.5 % to 6.5 % of the face width above the rings' upper edges, its centre a
        // ring's half height more above the rings' centres.
        let offsets = TargetBrowOffset().offsets(in: Scene.target(rise: 0.045), landmarks: Scene.points,
                                                 faceWidth: Scene.faceWidth)
        #expect(offsets.min() >= 0.045 && offsets.max() <= 0.075, "offsets \(offsets)")
    }

    @Test func browsOnTheirRingsAreLeftThere() {
        // The astronaut's own brows, where FaceMesh put them.
        let image = ImageWarper.warp(AstronautPhoto.image, width: AstronautPhoto.image.width * 3,
                                     height: AstronautPhoto.image.height * 3,
                                     outputToSource: AffineTransform2D(a: 1 / 3, b: 0, tx: 0, c: 0, d: 1 / 3, ty: 0))
        let offsets = TargetBrowOffset().offsets(in: image, landmarks: Scene.points, faceWidth: Scene.faceWidth)
        #expect(offsets == .zero, "offsets \(offsets)")
    }

    @Test func oneRaisedBrowMovesAlone() {
        // The right brow painted over in skin and painted again 4.5 % up; the left one left on its ring.
        var target = Scene.target(rise: 0)
        let risen = Scene.target(rise: 0.045)
        let mid = FaceMeshTopology.browLine(Scene.points).point
        let across = SIMD2(-Scene.up.y, Scene.up.x)
        let rightSide: Float = ((Scene.points[FaceMeshTopology.rightEyebrowRing[0]] - mid) * across).sum() < 0 ? -1 : 1
        for y in 0..<target.height {
            for x in 0..<target.width where rightSide * ((SIMD2(Float(x), Float(y)) - mid) * across).sum() > 0 {
                target[x, y] = risen[x, y]
            }
        }
        let offsets = TargetBrowOffset().offsets(in: target, landmarks: Scene.points, faceWidth: Scene.faceWidth)
        #expect(offsets[0] >= 0.045 && offsets[1] < offsets[0] - 0.03, "offsets \(offsets)")
    }

    @Test func raisingMovesTheBrowsAndFoldsNoTriangle() {
        let points = Scene.points
        let shift: Float = 0.05 * Scene.faceWidth
        let raised = TargetBrowOffset.raising(points, by: SIMD2(repeating: shift))
        let up = Scene.up
        for i in FaceMeshTopology.rightEyebrowRing + FaceMeshTopology.leftEyebrowRing {
            let move = ((raised[i] - points[i]) * up).sum()
            #expect(abs(move - shift) < 1e-3, "brow point \(i) moved \(move / Scene.faceWidth) of the face width")
        }
        // Eyes, nose, lips and the oval's top stay.
        let top = FaceMeshTopology.faceOval.max { (points[$0] * up).sum() < (points[$1] * up).sum() }!
        for i in FaceMeshTopology.rightEye + FaceMeshTopology.leftEye + FaceMeshTopology.outerLips + [1, top] {
            #expect(raised[i] == points[i], "point \(i) moved")
        }
        func area(_ p: [SIMD2<Float>], _ t: SIMD3<Int>) -> Float {
            let (a, b, c) = (p[t.x], p[t.y], p[t.z])
            return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
        }
        // Far further up than a brow rises, the temples beside the brows' tails would fold: the move shrinks.
        let far = TargetBrowOffset.raising(points, by: SIMD2(repeating: 0.2 * Scene.faceWidth))
        for moved in [raised, far] {
            let folded = FaceMeshTriangulation.triangles.filter { area(points, $0) * area(moved, $0) <= 0 }
            #expect(folded.isEmpty, "\(folded.count) triangles folded")
        }
        let farMove = ((far[FaceMeshTopology.rightEyebrowRing[0]] - points[FaceMeshTopology.rightEyebrowRing[0]]) * up).sum()
        #expect(farMove > 0 && farMove < 0.2 * Scene.faceWidth)
    }

    @Test func aDroopingTailsTempleFollowsItUp() {
        // Brow tails drooping below the temple points beside them (talk_woman_d10 as she raises her brows, where
        // FaceMesh's outer brow points sit lower than the temple's). Raised by 7 % of the face width, a tail would
        // overtake the temple point beside it, which the forehead's rule moves only in part: the whole move used to
        // shrink by a quarter. The temple point follows the tail instead, and the brows move the whole way.
        var points = Scene.points
        let up = Scene.up
        for (i, drop) in [(70, 0.025), (46, 0.025), (71, 0.03), (300, 0.025), (276, 0.025), (301, 0.03)] as [(Int, Float)] {
            points[i] -= up * (drop * Scene.faceWidth)
        }
        let shift: Float = 0.07 * Scene.faceWidth
        let raised = TargetBrowOffset.raising(points, by: SIMD2(repeating: shift))
        func move(_ i: Int) -> Float { ((raised[i] - points[i]) * up).sum() }
        for i in FaceMeshTopology.rightEyebrowRing + FaceMeshTopology.leftEyebrowRing {
            #expect(abs(move(i) - shift) < 1e-3, "brow point \(i) moved \(move(i) / Scene.faceWidth) of the face width")
        }
        #expect(move(71) > 0.5 * shift && move(301) > 0.5 * shift, "temples moved \(move(71)), \(move(301))")
        let squashed = FaceMeshTriangulation.triangles.filter { FaceMeshTriangulation.isSquashed($0, from: points, to: raised) }
        #expect(squashed.isEmpty, "\(squashed.count) triangles squashed")
        let top = FaceMeshTopology.faceOval.max { (points[$0] * up).sum() < (points[$1] * up).sum() }!
        for i in FaceMeshTopology.rightEye + FaceMeshTopology.leftEye + FaceMeshTopology.outerLips + [1, top] {
            #expect(raised[i] == points[i], "point \(i) moved")
        }
    }

    @Test func thePhotosBrowsAreDrawnOverTheTargetsRisenBrows() throws {
        let target = Scene.target(rise: 0.045)
        func swapped(_ offset: TargetBrowOffset?) throws -> RGBImage {
            var options = MeshSwapper.Options()
            options.browOffset = offset
            return try Scene.swapped(onto: target, options: options).frame
        }
        let moved = Self.darkestHeight(in: try swapped(TargetBrowOffset()), from: -0.08, to: 0.1)
        let onRings = Self.darkestHeight(in: try swapped(nil), from: -0.08, to: 0.1)
        // The painted brows' centre lies 4.5 % of the face width above the rings' upper edges, 6.5 % above their
        // centres; the astronaut's own brows a little below her rings' centres, where they stay without the offset.
        #expect(onRings < 0 && (0.045...0.08).contains(moved - onRings),
                "the new brows' darkest row at \(moved) (\(onRings) on the rings)")
    }
}
