import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

/// The identity photo's side light is taken out, its face's own (symmetric) shading is not: on the committed
/// astronaut, lit evenly as shipped and with a side light painted on.
@Suite struct PhotoSideLightTests {
    static let points = AstronautPhoto.landmarks.points2D
    static let faceWidth = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width
    /// Mean luma of a disc (5 % of the face width) on each cheek, right and left.
    static func cheeks(_ image: RGBImage) -> (right: Float, left: Float) {
        let right = (points[FaceMeshTopology.rightEyeOuter] + points[FaceMeshTopology.mouthRight]) / 2
        let left = (points[FaceMeshTopology.leftEyeOuter] + points[FaceMeshTopology.mouthLeft]) / 2
        return (disc(right, in: image), disc(left, in: image))
    }

    /// Mean luma of a disc (5 % of the face width) round `c`.
    static func disc(_ c: SIMD2<Float>, in image: RGBImage) -> Float {
        let r = 0.05 * faceWidth
        var sum: Float = 0, n: Float = 0
        for y in Int(c.y - r)...Int(c.y + r) {
            for x in Int(c.x - r)...Int(c.x + r) where ((SIMD2(Float(x), Float(y)) - c) * (SIMD2(Float(x), Float(y)) - c)).sum() <= r * r {
                let p = image[x, y]
                sum += (Float(p.r) + Float(p.g) + Float(p.b)) / 3
                n += 1
            }
        }
        return sum / n
    }

    /// Discs beside the nose, between its tip and each mouth corner: the shipped photo's nose shadow falls on the
    /// image's right one.
    static func besideNose(_ image: RGBImage) -> (right: Float, left: Float) {
        let tip = points[FaceMeshTopology.noseTip]
        return (disc((tip + points[FaceMeshTopology.mouthRight]) / 2, in: image),
                disc((tip + points[FaceMeshTopology.mouthLeft]) / 2, in: image))
    }

    @Test func theShippedPhotosNoseShadowIsEvenedOut() {
        // Studio light from the front and a little to the face's right: a shadow beside the nose on its left (the
        // image's right), which the relighting would keep as the face's own and paint, greyed, onto every target.
        let before = Self.besideNose(AstronautPhoto.image)
        let after = Self.besideNose(PhotoSideLight().apply(to: AstronautPhoto.image, landmarks: Self.points))
        let (was, is_) = (abs(log(before.left / before.right)), abs(log(after.left / after.right)))
        #expect(was > 0.05, "the shipped photo's sides beside the nose differ by \(was)")
        #expect(is_ < was / 2, "|log(left ÷ right)| beside the nose \(was) → \(is_)")
    }

    @Test func aSideLightIsTakenOut() {
        // Light falling off across the face: the image's right side (the face's left) at 55 %.
        var lit = AstronautPhoto.image
        let oval = BoundingBox(bounding: FaceMeshTopology.faceOval.map { Self.points[$0] })
        for y in 0..<lit.height {
            for x in 0..<lit.width {
                let t = min(max((Float(x) - oval.x) / oval.width, 0), 1)
                let k = 1 - 0.45 * t
                let p = lit[x, y]
                lit[x, y] = (UInt8(Float(p.r) * k), UInt8(Float(p.g) * k), UInt8(Float(p.b) * k))
            }
        }
        let before = Self.cheeks(lit), shipped = Self.cheeks(AstronautPhoto.image)
        let after = Self.cheeks(PhotoSideLight().apply(to: lit, landmarks: Self.points))
        let (was, is_, own) = (before.left / before.right, after.left / after.right, shipped.left / shipped.right)
        // Most of the painted fall-off is gone: the cheeks' ratio comes back to within a third of it.
        #expect(abs(log(is_ / own)) < abs(log(was / own)) / 3, "left ÷ right cheek \(was) → \(is_) (unlit photo \(own))")
    }

    @Test func shadingOnBothSidesStays() {
        // The same hollow (30 % darker, σ 5 % of the face width) painted on both cheeks at mirrored places: the
        // face's shape in light, which must stay as it was.
        let photo = AstronautPhoto.image
        let right = (Self.points[FaceMeshTopology.rightEyeOuter] + Self.points[FaceMeshTopology.mouthRight]) / 2
        let left = (Self.points[FaceMeshTopology.leftEyeOuter] + Self.points[FaceMeshTopology.mouthLeft]) / 2
        let sigma = 0.05 * Self.faceWidth
        var hollows = photo
        for y in 0..<photo.height {
            for x in 0..<photo.width {
                let p = SIMD2(Float(x), Float(y))
                let d = [right, left].map { ((p - $0) * (p - $0)).sum() }.min()!
                let k = 1 - 0.3 * exp(-d / (2 * sigma * sigma))
                let c = photo[x, y]
                hollows[x, y] = (UInt8(Float(c.r) * k), UInt8(Float(c.g) * k), UInt8(Float(c.b) * k))
            }
        }
        let with = Self.cheeks(PhotoSideLight().apply(to: hollows, landmarks: Self.points))
        let without = Self.cheeks(PhotoSideLight().apply(to: photo, landmarks: Self.points))
        let painted = Self.cheeks(hollows), plain = Self.cheeks(photo)
        // Each cheek darkens by what was painted on it (the discs' own mean of the hollow), within 3 %.
        for (w, wo, p, q) in [(with.right, without.right, painted.right, plain.right), (with.left, without.left, painted.left, plain.left)] {
            #expect(abs(w / wo - p / q) < 0.03, "kept \(w / wo), painted \(p / q)")
        }
    }
}
