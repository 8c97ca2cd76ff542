import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

/// Long hair down the identity photo's cheeks is left out of the one-shot swap (the target's own cheeks stay); the
/// face between the locks, a side light's shadow and a photo without locks are not touched. On the committed
/// astronaut with locks painted on, and on a real photo with its hair down both cheeks when ../shared is present.
@Suite struct PhotoLocksTests {
    static let photo = AstronautPhoto.image
    static let landmarks = AstronautPhoto.landmarks
    static var points: [SIMD2<Float>] { landmarks.points2D }
    static let options = MeshSwapper.Options()

    /// Where a pixel lies across the face: 0 on the midline, 1 at its cheek's edge (negative on the image's left).
    static func across(_ p: SIMD2<Float>, on points: [SIMD2<Float>]) -> Float {
        let line = PhotoMirror.CheekLine(points)!
        let u = ((p - line.centre) * line.across).sum()
        let half = line.halfWidths
        return u < 0 ? u / half.right : u / half.left
    }

    /// A point `share` of the way from the midline to the cheek's edge on `side` (−1 the image's left, 1 its right),
    /// at the height of the cheeks' centres (between the eyes' outer corners and the mouth's corners).
    static func cheekPoint(_ share: Float, side: Float, on points: [SIMD2<Float>]) -> SIMD2<Float> {
        let line = PhotoMirror.CheekLine(points)!
        let centres = (points[FaceMeshTopology.rightEyeOuter] + points[FaceMeshTopology.mouthRight]
                       + points[FaceMeshTopology.leftEyeOuter] + points[FaceMeshTopology.mouthLeft]) / 4
        let half = side < 0 ? line.halfWidths.right : line.halfWidths.left
        let onLine = line.centre + ((centres - line.centre) * line.across).sum() * line.across
        let down = centres - onLine
        return line.centre + down + side * share * half * line.across
    }

    /// The photo with brown, streaked locks over both sides of its face, from the brows down to the mouth and from
    /// the oval in to `reach` of the way to the midline.
    static func locked(reach: Float = 0.66) -> RGBImage {
        var image = photo
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: image.width, height: image.height)
        let top = PhotoHairTests.browLine.y, bottom = points[FaceMeshTopology.lowerLipBottom].y
        for y in Int(top)..<Int(bottom) {
            for x in 0..<image.width where oval.values[y * image.width + x] > 0 {
                guard abs(across(SIMD2(Float(x), Float(y)), on: points)) > reach else { continue }
                let streak = UInt8(20 * ((x / 2) % 2))
                image[x, y] = (95 + streak, 62 + streak, 38)
            }
        }
        return image
    }

    /// The photo's right side (the image's left) in a side light's shadow: darker towards the edge, to half at it.
    static var shadowed: RGBImage {
        var image = photo
        for y in 0..<image.height {
            for x in 0..<image.width {
                let a = across(SIMD2(Float(x), Float(y)), on: points)
                guard a < 0 else { continue }
                let k = 1 - 0.5 * min(-a, 1.2)
                let p = image[x, y]
                image[x, y] = (UInt8(Float(p.r) * k), UInt8(Float(p.g) * k), UInt8(Float(p.b) * k))
            }
        }
        return image
    }

    static func cut(_ image: RGBImage, landmarks: [SIMD2<Float>]) -> PhotoHair.Skin? {
        PhotoLocks().cutting(nil, photo: image, landmarks: landmarks, sampled: options.sideInset.sampled(landmarks),
                             outline: options.outline, feather: options.feather,
                             margin: options.hair.closing + 3 * options.hair.feather)
    }

    /// The skin mask's value at photo point `p`.
    static func value(of skin: PhotoHair.Skin, at p: SIMD2<Float>) -> Float {
        let q = p - SIMD2(Float(skin.box.x0), Float(skin.box.y0))
        return skin.mask.values[Int(q.y.rounded()) * skin.mask.width + Int(q.x.rounded())]
    }

    @Test func theShippedPhotoHasNoLocks() {
        #expect(Self.cut(Self.photo, landmarks: Self.points) == nil, "locks found on the shipped photo")
    }

    @Test func aSideLightsShadowIsNotALock() {
        // Each side is judged against its own cheek (``HairOcclusion``): a shadow darkening to half at the edge is skin.
        #expect(Self.cut(Self.shadowed, landmarks: Self.points) == nil, "a side light's shadow taken for hair")
    }

    @Test func locksDownTheCheeksAreLeftOutAndTheFaceBetweenStays() throws {
        let skin = try #require(Self.cut(Self.locked(), landmarks: Self.points), "no locks found")
        for side: Float in [-1, 1] {
            let lock = Self.cheekPoint(0.8, side: side, on: Self.points)
            #expect(Self.value(of: skin, at: lock) < 0.1, "lock at \(lock): \(Self.value(of: skin, at: lock))")
            let cheek = Self.cheekPoint(0.35, side: side, on: Self.points)
            #expect(Self.value(of: skin, at: cheek) > 0.9, "cheek at \(cheek): \(Self.value(of: skin, at: cheek))")
        }
        let nose = Self.points[FaceMeshTopology.noseTip]
        #expect(Self.value(of: skin, at: nose) > 0.99)
    }

    @Test func theSwapLeavesTheTargetsCheekWhereThePhotosLocksAre() throws {
        // The locked photo laid on the unpainted one's own landmarks (the frame is the photo itself): where a lock
        // reaches inside the swapped outline, the swap's weight is 0.
        let swap = try #require(try AstronautPhoto.swapped(from: Self.locked()))
        let plain = try #require(try AstronautPhoto.swapped(from: Self.photo))
        let mask = try #require(swap.mask), plainMask = try #require(plain.mask)
        let corner = swap.toFrame.apply(.zero)
        for side: Float in [-1, 1] {
            let q = Self.cheekPoint(0.72, side: side, on: Self.points) - corner
            let (x, y) = (Int(q.x.rounded()), Int(q.y.rounded()))
            #expect(plainMask[x, y] > 0.3, "the outline no longer reaches \(q): the test must look further in")
            #expect(mask[x, y] < 0.05, "weight in the lock \(mask[x, y])")
            // Under the cut's feather the photo is drawn with skin laid under its hair, never the lock itself.
            let (frame, drawn) = (Self.photo[x + Int(corner.x), y + Int(corner.y)], swap.image[x, y])
            func luma(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Float { (Float(p.r) + Float(p.g) + Float(p.b)) / 3 }
            #expect(luma(drawn) > 0.9 * luma(frame), "the swap drew \(drawn) over the frame's \(frame)")
        }
    }

    /// A frame of portrait_1080x1920_hands: a young woman whose straight hair falls down both sides of her face,
    /// over her temples and the outer cheeks. Needs ../shared/media.
    @Test(.enabled(if: SharedClipFace.isPresent("portrait_1080x1920_hands"),
                   "skipped: ../shared/media/video/portrait_1080x1920_hands.mp4 not present"))
    func aRealPhotosHairDownItsCheeksIsLeftOut() throws {
        let (frame, mesh) = try #require(try SharedClipFace.face("portrait_1080x1920_hands", frame: 24))
        let points = mesh.points2D
        let skin = try #require(Self.cut(frame, landmarks: points), "no locks found")
        for side: Float in [-1, 1] {
            let lock = Self.cheekPoint(0.92, side: side, on: points)
            #expect(Self.value(of: skin, at: lock) < 0.2, "lock at \(lock): \(Self.value(of: skin, at: lock))")
            let cheek = Self.cheekPoint(0.45, side: side, on: points)
            #expect(Self.value(of: skin, at: cheek) > 0.95, "cheek at \(cheek): \(Self.value(of: skin, at: cheek))")
        }
        // And the swapper takes the cut: without it the photo's skin mask is whole.
        #expect(try MeshSwapper(source: frame, sourceLandmarks: mesh).sourceSkin != nil)
        var off = MeshSwapper.Options()
        off.locks = nil
        #expect(try MeshSwapper(source: frame, sourceLandmarks: mesh, options: off).sourceSkin == nil)
    }
}
