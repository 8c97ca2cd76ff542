import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

/// A fringe over the identity photo's forehead is left out of the one-shot swap; brows, skin and a photo without a
/// fringe are not touched. On the committed astronaut, with a fringe painted on for the second test.
@Suite struct PhotoHairTests {
    static let photo = try! TestResources.image("astronaut_public_domain.png")
    static let landmarks: FaceLandmarks = {
        let detector = try! FaceDetector(model: .fullRange, graph: TestResources.graphs[.fullRangeDetector]!)
        let detection = detector.detect(in: photo).first!
        let landmarker = try! FaceLandmarker(graph: TestResources.graphs[.landmarks]!)
        return landmarker.landmarks(in: photo, roi: FaceLandmarker.roi(from: detection))!
    }()
    static var points: [SIMD2<Float>] { landmarks.points2D }

    static func centre(_ ring: [Int]) -> SIMD2<Float> { ring.map { points[$0] }.reduce(.zero, +) / Float(ring.count) }
    /// Midway between the brows' centres.
    static var browLine: SIMD2<Float> {
        (centre(FaceMeshTopology.rightEyebrowRing) + centre(FaceMeshTopology.leftEyebrowRing)) / 2
    }

    static var faceWidth: Float { BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width }
    /// A point in the fringe: 7 % of the face width above `p`.
    static func inFringe(_ p: SIMD2<Float>) -> SIMD2<Float> { p - SIMD2(0, 0.07 * faceWidth) }

    /// The photo with a brown, streaked fringe over the whole forehead down to 4 % of the face width above the
    /// brows (as cut straight across as a real fringe).
    static let fringed: RGBImage = {
        var image = photo
        let bottom = browLine.y - 0.04 * faceWidth
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: image.width, height: image.height)
        for y in 0..<image.height where Float(y) < bottom {
            for x in 0..<image.width where oval.values[y * image.width + x] > 0 {
                let streak = UInt8(20 * ((x / 3) % 2))
                image[x, y] = (95 + streak, 62 + streak, 38)
            }
        }
        return image
    }()

    @Test func theShippedPhotoHasNoFringeToCut() {
        // Her hair only touches the top of the oval: below the share worth a cut.
        #expect(PhotoHair().skin(of: Self.photo, landmarks: Self.points, outline: SkinOutline()) == nil)
    }

    @Test func aFringeIsLeftOutAndTheBrowsAndSkinStay() throws {
        let skin = try #require(PhotoHair().skin(of: Self.fringed, landmarks: Self.points, outline: SkinOutline()))
        func at(_ p: SIMD2<Float>) -> Float { skin.values[Int(p.y.rounded()) * skin.width + Int(p.x.rounded())] }
        // In the fringe, above each brow and midway between them.
        for p in [Self.centre(FaceMeshTopology.rightEyebrowRing), Self.centre(FaceMeshTopology.leftEyebrowRing), Self.browLine] {
            let q = Self.inFringe(p)
            #expect(at(q) < 0.1, "fringe at \(q): \(at(q))")
        }
        // The brows themselves (4 % of the face width below the fringe: within its feather), the cheeks, the nose
        // and the eyes are the photo's.
        for p in [Self.centre(FaceMeshTopology.rightEyebrowRing), Self.centre(FaceMeshTopology.leftEyebrowRing)] {
            #expect(at(p) > 0.8, "brow at \(p): \(at(p))")
        }
        for p in [Self.points[FaceMeshTopology.noseTip], Self.centre(FaceMeshTopology.rightEye),
                  Self.centre(FaceMeshTopology.leftEye), Self.points[FaceMeshTopology.rightCheek] * 0.7 + Self.points[FaceMeshTopology.noseTip] * 0.3] {
            #expect(at(p) > 0.99, "skin at \(p): \(at(p))")
        }
    }

    @Test func theSwapDoesNotPaintTheFringe() throws {
        // The fringed photo laid on the unpainted one's own landmarks (the frame is the photo itself): where the
        // fringe is, the swap's weight is 0 and its pixels are the frame's.
        let swapper = try MeshSwapper(source: Self.fringed, sourceLandmarks: Self.landmarks)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: Self.photo, landmarks: Self.landmarks)))
        let mask = try #require(swap.mask)
        // Just inside the fringe, low enough that the outline's forehead strip (30 % of the forehead) swaps it.
        let q = Self.browLine - SIMD2(0, 0.045 * Self.faceWidth) - swap.toFrame.apply(.zero)
        let (x, y) = (Int(q.x.rounded()), Int(q.y.rounded()))
        #expect(mask.values[y * mask.width + x] < 0.05, "weight in the fringe \(mask.values[y * mask.width + x])")
        let frame = Self.photo[x + Int(swap.toFrame.apply(.zero).x), y + Int(swap.toFrame.apply(.zero).y)]
        #expect(swap.image[x, y] == frame, "the swap painted \(swap.image[x, y]) over the frame's \(frame)")
        // Without the fringe the same place is swapped.
        let plain = try #require(try MeshSwapper(source: Self.photo, sourceLandmarks: Self.landmarks)
            .swap(FaceSwapInput(frame: Self.photo, landmarks: Self.landmarks)))
        #expect(try #require(plain.mask).values[y * mask.width + x] > 0.3)
    }
}
