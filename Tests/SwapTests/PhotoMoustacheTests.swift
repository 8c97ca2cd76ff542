import Face
import Imaging
import Stream
import Testing
@testable import Swap

@Suite struct PhotoMoustacheTests {
    /// The astronaut with the skin between her nose and upper lip (``FaceMeshTopology/upperLipSkin``, grown by 2 % of
    /// the face width, her lips left as they were) darkened to `factor`: a moustache.
    static func moustached(_ factor: Float) -> RGBImage {
        let points = AstronautPhoto.landmarks.points2D
        var image = AstronautPhoto.image
        let faceWidth = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width
        let zone = AlphaMask(width: image.width, height: image.height, placing: PolygonRasterizer.fill(
            [FaceMeshTopology.upperLipSkin.map { points[$0] }], width: image.width, height: image.height,
            grownBy: Int((0.02 * faceWidth).rounded()), feather: 1))
        let lips = PolygonRasterizer.fill(FaceMeshTopology.outerLips.map { points[$0] }, width: image.width,
                                          height: image.height)
        for y in 0..<image.height {
            for x in 0..<image.width where zone[x, y] > 0.5 && lips[x, y] < 0.5 {
                let p = image[x, y]
                image[x, y] = (UInt8(Float(p.r) * factor), UInt8(Float(p.g) * factor), UInt8(Float(p.b) * factor))
            }
        }
        return image
    }

    @Test func aBareUpperLipIsNoMoustacheADarkOneIs() {
        let points = AstronautPhoto.landmarks.points2D
        let measure = PhotoMoustache()
        #expect(measure.share(of: AstronautPhoto.image, landmarks: points) == 0)
        // Hair at a third of the skin's brightness (portrait_s12's moustache measures 0.22–0.42).
        #expect(measure.share(of: Self.moustached(0.35), landmarks: points) == 1)
        // In between, in between: no step from one photo to a slightly darker one. (The shared portraits: 1 for
        // portrait_s12's moustache, 0 for portrait_s2's hard top light, portrait_s1, portrait_s11.)
        let partial = measure.share(of: Self.moustached(0.85), landmarks: points)
        #expect(partial > 0.1 && partial < 0.6, "darkened to 85 %: \(partial)")
        // Too few landmarks: nothing to tell.
        #expect(measure.share(of: AstronautPhoto.image, landmarks: Array(points.prefix(100))) == 0)
    }

    @Test func theMeshSwapperHandsItsPhotosMoustacheToTheMerger() throws {
        #expect(try AstronautPhoto.swapped(from: AstronautPhoto.image)?.moustache == 0)
        #expect(try AstronautPhoto.swapped(from: Self.moustached(0.35))?.moustache == 1)
    }
}
