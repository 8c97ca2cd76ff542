import Foundation
import Face
import Imaging
import Stream
import Testing
@testable import Swap

extension RelightingTests {
    /// Relights an even grey face under a target whose skin is darkened by Gaussian spots of σ 6 % of the face width
    /// (a nose's shadow side, coarser than the fine shading, finer than the interior's), beside the nose at
    /// `spots` (each −1 for the viewer's left, +1 for the right), and returns the new face's luma at the two places.
    private func relitSpots(_ spots: [Float], sideLight: Float) -> (left: Float, right: Float) {
        let (w, h) = (320, 340)
        let faceWidth = BoundingBox(bounding: Self.oval).width
        let tip = Self.points[FaceMeshTopology.noseTip]
        let across = (Self.points[FaceMeshTopology.leftCheek] - Self.points[FaceMeshTopology.rightCheek]) / faceWidth
        let place = { (side: Float) in tip + side * 0.14 * faceWidth * across }
        let sigma = 0.06 * faceWidth
        var target = RGBImage(width: w, height: h), face = RGBImage(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                let p = SIMD2(Float(x), Float(y))
                let shade = spots.reduce(Float(1)) { s, side in
                    let d = p - place(side)
                    return s * (1 - 0.3 * exp(-(d * d).sum() / (2 * sigma * sigma)))
                }
                target[x, y] = (UInt8(200 * shade), UInt8(150 * shade), UInt8(120 * shade))
                face[x, y] = (150, 150, 150)
            }
        }
        let weight = PolygonRasterizer.fill(Self.oval, width: w, height: h)
        var relighting = Relighting(strength: 1)
        relighting.sideLight = sideLight
        relighting.apply(to: &face, target: target, weight: weight, region: weight,
                         features: FaceMeshTopology.featureRings.map { $0.map { Self.points[$0] } },
                         exclude: nil, faceWidth: faceWidth, mesh: Self.points)
        func luma(_ side: Float) -> Float {
            let p = place(side), q = face[Int(p.x.rounded()), Int(p.y.rounded())]
            return (Float(q.r) + Float(q.g) + Float(q.b)) / 3
        }
        return (luma(-1), luma(1))
    }

    @Test func aSideLitTargetGivesTheNewFaceItsSideLight() {
        // The shadow on one side of the target's nose: the scene's light, which the new face takes.
        let flat = relitSpots([-1], sideLight: 0)
        #expect(abs(flat.left / flat.right - 1) < 0.05, "without the side light: \(flat)")
        let lit = relitSpots([-1], sideLight: 1)
        #expect(lit.left < 0.9 * lit.right, "with the side light: \(lit)")
    }

    @Test func aTargetsEvenModellingIsNotTaken() {
        // The same shadow on both sides is the target's face shape in light: the new face keeps its own (even)
        // modelling, with or without the side light.
        let flat = relitSpots([-1, 1], sideLight: 0)
        let lit = relitSpots([-1, 1], sideLight: 1)
        #expect(abs(lit.left / lit.right - 1) < 0.05, "\(lit)")
        #expect(abs(lit.left / flat.left - 1) < 0.03, "side light \(lit), none \(flat)")
    }
}
