import Face
import Imaging
import Stream
import Testing
@testable import Swap

@Suite struct PhotoSocketShadowTests {
    /// The astronaut with her skin between each brow and eye darkened to `factor` (the sockets of a photo lit hard
    /// from above), her brows and eyes as they were.
    static func shadowed(_ factor: Float) -> RGBImage {
        let points = AstronautPhoto.landmarks.points2D
        var image = AstronautPhoto.image
        var sockets = AlphaMask(width: image.width, height: image.height)
        for (brow, eye) in [(FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.rightEye),
                            (FaceMeshTopology.leftEyebrowRing, FaceMeshTopology.leftEye)] {
            PolygonRasterizer.fill(ConvexHull.of((brow + eye).map { points[$0] }), into: &sockets)
        }
        var features = AlphaMask(width: image.width, height: image.height)
        for ring in [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing, FaceMeshTopology.rightEye,
                     FaceMeshTopology.leftEye] { PolygonRasterizer.fill(ring.map { points[$0] }, into: &features) }
        for y in 0..<image.height {
            for x in 0..<image.width where sockets[x, y] > 0.5 && features[x, y] < 0.5 {
                let p = image[x, y]
                image[x, y] = (UInt8(Float(p.r) * factor), UInt8(Float(p.g) * factor), UInt8(Float(p.b) * factor))
            }
        }
        return image
    }

    @Test func anEvenlyLitPhotosSocketsAreNotInShadowAHardLitOnesAre() throws {
        let measure = PhotoSocketShadow()
        let points = AstronautPhoto.landmarks.points2D
        let own = try #require(measure.brightness(of: AstronautPhoto.image, landmarks: points))
        #expect(own > 0.9, "the astronaut's sockets at \(own) of her skin")
        #expect(measure.depth(of: AstronautPhoto.image, landmarks: points) == 0)
        // Darkened to 55 %: a photo lit from above (portrait_s2 measures 0.55, portrait_s12 0.58).
        let dark = try #require(measure.brightness(of: Self.shadowed(0.55), landmarks: points))
        #expect(abs(dark - 0.55 * own) < 0.06, "darkened sockets at \(dark), \(0.55 * own) expected")
        #expect(measure.depth(of: Self.shadowed(0.55), landmarks: points) == 1)
        // In between, in between.
        let partial = measure.depth(of: Self.shadowed(0.75), landmarks: points)
        #expect(partial > 0.2 && partial < 0.9, "sockets at 75 %: depth \(partial)")
    }

    @Test func aPhotosOwnGlassesAreNotAShadow() throws {
        // Thick dark frames (7 % of the eye distance wide) round both eyes of the evenly lit astronaut: they cross her
        // sockets, but are not her light.
        let points = AstronautPhoto.landmarks.points2D
        let axis = try #require(EyeAxis(points))
        var image = AstronautPhoto.image
        let centres = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map { ring in
            ring.map { points[$0] }.reduce(SIMD2<Float>.zero, +) / Float(ring.count)
        }
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = SIMD2(Float(x), Float(y))
                for c in centres {
                    let q = p - c
                    let (s, t) = ((q * axis.u).sum() / (0.3 * axis.d), (q * axis.v).sum() / (0.17 * axis.d))
                    if abs((s * s + t * t).squareRoot() - 1) * 0.17 * axis.d < 0.035 * axis.d { image[x, y] = (30, 28, 28) }
                }
            }
        }
        #expect(PhotoSocketShadow().depth(of: image, landmarks: points) < 0.1)
    }

    @Test func theMeshSwapperHandsItsPhotosSocketShadowToTheMerger() throws {
        #expect(try AstronautPhoto.swapped(from: AstronautPhoto.image)?.socketShadow == 0)
        #expect(try AstronautPhoto.swapped(from: Self.shadowed(0.55))?.socketShadow == 1)
    }
}
