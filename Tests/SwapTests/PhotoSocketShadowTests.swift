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

    /// The astronaut's landmarks with both brows moved up the face by `lift` of the face width.
    static func browsRaised(by lift: Float) -> [SIMD2<Float>] {
        var points = AstronautPhoto.landmarks.points2D
        let (_, up) = FaceMeshTopology.browLine(points)
        let shift = up * lift * FaceMeshTopology.ovalWidth(points)
        for i in Set(FaceMeshTopology.rightEyebrowRing + FaceMeshTopology.leftEyebrowRing) { points[i] += shift }
        return points
    }

    @Test func socketsTallerThanThePhotosAreStretched() throws {
        let measure = PhotoSocketShadow()
        let own = PhotoSocketShadow.height(AstronautPhoto.landmarks.points2D)
        #expect(own > 0.08 && own < 0.16, "the astronaut's sockets are \(own) of her face width high")
        #expect(measure.stretch(height: own, photoHeight: own) == 0)
        // Brows raised by 3 % and 7 % of the face width: sockets about 1.25× and 1.55× hers.
        let some = PhotoSocketShadow.height(Self.browsRaised(by: 0.03))
        let far = PhotoSocketShadow.height(Self.browsRaised(by: 0.07))
        #expect(abs(some - own - 0.03) < 0.01 && abs(far - own - 0.07) < 0.01, "raised: \(some), \(far) from \(own)")
        let partly = measure.stretch(height: some, photoHeight: own), fully = measure.stretch(height: far, photoHeight: own)
        #expect(partly < 0.2 && fully == 1, "stretch \(partly) at \(some / own)×, \(fully) at \(far / own)×")
        #expect(measure.stretch(height: own, photoHeight: 0) == 0)
    }

    @Test func theMeshSwapperHandsTheTargetsSocketStretchToTheMergerForAShadowedPhotoOnly() throws {
        // The shadowed photo onto the astronaut's frame with her brows raised by 7 % of the face width (FaceMesh's
        // landmarks say so; the pixels need not).
        var raised = AstronautPhoto.landmarks
        for (i, p) in Self.browsRaised(by: 0.07).enumerated() { raised.points[i] = SIMD3(p.x, p.y, raised.points[i].z) }
        func swapped(_ photo: RGBImage, onto landmarks: FaceLandmarks) throws -> SwappedFace? {
            try MeshSwapper(source: photo, sourceLandmarks: AstronautPhoto.landmarks)
                .swap(FaceSwapInput(frame: AstronautPhoto.image, landmarks: landmarks))
        }
        let shadowed = Self.shadowed(0.55)
        #expect(try swapped(shadowed, onto: AstronautPhoto.landmarks)?.socketStretch == 0)
        #expect(try swapped(shadowed, onto: raised)?.socketStretch == 1)
        #expect(try swapped(AstronautPhoto.image, onto: raised)?.socketStretch == 0, "lit sockets: nothing to stretch")
    }
}
