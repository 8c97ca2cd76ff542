import Face
import Imaging
import Stream
import Testing
@testable import Swap

extension RelightingTests {
    @Test func whatIsMostlyLeftOutOfTheTargetsLightDoesNotShadeTheNewFace() {
        // The target's brows rise above its landmarks: a dark band across its forehead, left out of its light
        // under a wide feather (0.8 over the band and well round it). Where everything round a pixel is left out
        // in part, a normalised average is whatever little it still weighs: the dark band came back as a grey band
        // over the new forehead (talk_woman_d10, every photo).
        let (w, h) = (320, 340)
        let browY = FaceMeshTopology.browLine(Self.points).point.y
        let band = (browY - 16)...(browY - 6)
        let left = (browY - 26)...(browY + 4)
        var target = RGBImage(width: w, height: h), face = RGBImage(width: w, height: h)
        var exclude = AlphaMask(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                target[x, y] = band.contains(Float(y)) ? (140, 105, 84) : (200, 150, 120)
                face[x, y] = (190, 150, 130)
                if left.contains(Float(y)) { exclude[x, y] = 0.8 }
            }
        }
        let region = PolygonRasterizer.fill(Self.oval, width: w, height: h)
        let faceWidth = BoundingBox(bounding: Self.oval).width
        func relit(_ relighting: Relighting) -> RGBImage {
            var out = face
            relighting.apply(to: &out, target: target, weight: region, region: region, features: [],
                             exclude: exclude, faceWidth: faceWidth)
            return out
        }
        /// Mean luma over the face's middle third, in rows `rows`.
        func luma(_ image: RGBImage, _ rows: ClosedRange<Float>) -> Float {
            let centre = BoundingBox(bounding: Self.oval).x + faceWidth / 2
            var sum: Float = 0, n: Float = 0
            for y in Int(rows.lowerBound.rounded(.up))...Int(rows.upperBound) {
                for x in Int(centre - faceWidth / 6)...Int(centre + faceWidth / 6) {
                    let p = image[x, y]
                    sum += (Float(p.r) + Float(p.g) + Float(p.b)) / 3
                    n += 1
                }
            }
            return sum / n
        }
        let forehead = (browY - 46)...(browY - 36)
        // The fine shading everywhere: inside the face the coarse one would dilute the band.
        var relighting = Relighting(strength: 1)
        relighting.interiorScale = 0
        let whole = relit(relighting)
        #expect(luma(whole, band) > 0.97 * luma(whole, forehead),
                "over the band \(luma(whole, band)), the forehead above \(luma(whole, forehead))")
        var inProportion = relighting
        inProportion.excludedWhole = 1
        let shaded = relit(inProportion)
        #expect(luma(shaded, band) < 0.95 * luma(shaded, forehead),
                "left out in proportion, the band shades the face: \(luma(shaded, band)) vs \(luma(shaded, forehead))")
    }
}
