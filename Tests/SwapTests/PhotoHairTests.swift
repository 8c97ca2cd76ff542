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
    static let photo = AstronautPhoto.image
    static let landmarks = AstronautPhoto.landmarks
    static var points: [SIMD2<Float>] { landmarks.points2D }

    static func centre(_ ring: [Int]) -> SIMD2<Float> { ring.map { points[$0] }.reduce(.zero, +) / Float(ring.count) }
    /// Midway between the brows' centres.
    static var browLine: SIMD2<Float> {
        (centre(FaceMeshTopology.rightEyebrowRing) + centre(FaceMeshTopology.leftEyebrowRing)) / 2
    }

    static var faceWidth: Float { BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width }
    /// The photo's cheek colour (where its skin is sampled).
    static var cheek: (UInt8, UInt8, UInt8) {
        let p = (points[FaceMeshTopology.rightEyeOuter] + points[FaceMeshTopology.mouthRight]) / 2
        return photo[Int(p.x), Int(p.y)]
    }

    /// The photo with a brown, streaked fringe over the forehead down to `bottom` above the brows' centre line
    /// (share of the face width; cut straight across, as a real fringe), and with `skinFrom` the forehead below it
    /// down to there painted the cheeks' colour (her own hair comes close to her brows).
    static func fringed(bottom: Float, skinFrom: Float? = nil) -> RGBImage {
        var image = photo
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: image.width, height: image.height)
        for y in 0..<image.height {
            let height = (browLine.y - Float(y)) / faceWidth
            for x in 0..<image.width where oval.values[y * image.width + x] > 0 {
                if height > bottom {
                    let streak = UInt8(20 * ((x / 3) % 2))
                    image[x, y] = (95 + streak, 62 + streak, 38)
                } else if let skinFrom, height > skinFrom {
                    image[x, y] = cheek
                }
            }
        }
        return image
    }

    /// The skin mask's value at photo point `p`.
    static func value(of skin: PhotoHair.Skin, at p: SIMD2<Float>) -> Float {
        let q = p - (points[0] - skin.landmarks[0])
        return skin.mask.values[Int(q.y.rounded()) * skin.mask.width + Int(q.x.rounded())]
    }

    /// A fringe down to just above the brows.
    static let low = fringed(bottom: 0.04)

    @Test func theShippedPhotoHasNoFringeToCut() {
        // Her hair only touches the top of the oval: below the share worth a cut.
        let found = PhotoHair().skin(of: Self.photo, landmarks: Self.points, outline: SkinOutline())
        #expect(found == nil, "a fringe found on the shipped photo")
    }

    @Test func aFringeIsLeftOutAndTheSkinBelowStays() throws {
        let found = PhotoHair().skin(of: Self.low, landmarks: Self.points, outline: SkinOutline())
        let skin = try #require(found, "no fringe found")
        func at(_ p: SIMD2<Float>) -> Float { Self.value(of: skin, at: p) }
        // In the fringe, above each brow and midway between them.
        for p in [Self.centre(FaceMeshTopology.rightEyebrowRing), Self.centre(FaceMeshTopology.leftEyebrowRing), Self.browLine] {
            let q = p - SIMD2(0, 0.07 * Self.faceWidth)
            #expect(at(q) < 0.1, "fringe at \(q): \(at(q))")
        }
        // The cheeks and the nose are the photo's; so are the eyes, but for the tail of the cut's feather: the
        // brows under this fringe go with it.
        for p in [Self.points[FaceMeshTopology.noseTip],
                  Self.points[FaceMeshTopology.rightCheek] * 0.7 + Self.points[FaceMeshTopology.noseTip] * 0.3] {
            #expect(at(p) > 0.99, "skin at \(p): \(at(p))")
        }
        for p in [Self.centre(FaceMeshTopology.rightEye), Self.centre(FaceMeshTopology.leftEye)] {
            #expect(at(p) > 0.85, "eye at \(p): \(at(p))")
        }
    }

    @Test func browsUnderAFringeGoWithItWhole() throws {
        // A fringe down to the brows' centre line: their upper halves are hair, their lower halves the photo's own
        // brows. Both halves go (the lower one would lie under the target's brows as a second pair), and so does
        // the glabella between them.
        let found = PhotoHair().skin(of: Self.fringed(bottom: 0), landmarks: Self.points, outline: SkinOutline())
        let skin = try #require(found, "no fringe found")
        func at(_ p: SIMD2<Float>) -> Float { Self.value(of: skin, at: p) }
        // Down the face: brows → mouth.
        var down = Self.centre(FaceMeshTopology.outerLips) - Self.browLine
        down /= (down * down).sum().squareRoot()
        for ring in [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing] {
            let lowest = try #require(ring.map { Self.points[$0] }.max { ($0 * down).sum() < ($1 * down).sum() })
            #expect(at(lowest) < 0.1, "lower edge of a brow under the fringe at \(lowest): \(at(lowest))")
        }
        let glabella = Self.browLine + 0.015 * Self.faceWidth * down
        #expect(at(glabella) < 0.1, "glabella between the brows at \(glabella): \(at(glabella))")
        // The eyes (but for the feather's tail) and the nose stay the photo's.
        for p in [Self.centre(FaceMeshTopology.rightEye), Self.centre(FaceMeshTopology.leftEye),
                  Self.points[FaceMeshTopology.noseTip]] {
            #expect(at(p) > 0.85, "skin at \(p): \(at(p))")
        }
    }

    @Test func highlightsUnderTheCutsFeatherAreLaidOverWithSkin() throws {
        // Under the cut's feather the photo is drawn at a low weight, and there lie the fringe's tips and
        // highlights, which the relighting (dividing by the skin's shading) would turn into a bright line. A white
        // strand painted where the feather is at a fifth goes under the skin around it; skin past the feather is
        // the photo's own.
        let hair = PhotoHair()
        let skin = try #require(hair.skin(of: Self.low, landmarks: Self.points, outline: SkinOutline()), "no fringe found")
        let (w, h) = (skin.mask.width, skin.mask.height)
        let band = (0..<(w * h)).filter { skin.mask.values[$0] > 0.1 && skin.mask.values[$0] < 0.3 }
        #expect(band.count > 20, "no feather")
        var strands = Self.low
        for i in band { strands[skin.box.x0 + i % w, skin.box.y0 + i / w] = (255, 255, 255) }
        let under = hair.underlay(strands, skin: skin)
        let luma = { (p: (UInt8, UInt8, UInt8)) in (Float(p.0) + Float(p.1) + Float(p.2)) / 3 }
        let cheek = luma(Self.cheek)
        let laid = band.map { luma(under[skin.box.x0 + $0 % w, skin.box.y0 + $0 / w]) }.reduce(0, +) / Float(band.count)
        #expect(laid - cheek < 0.3 * (255 - cheek), "strands laid over at luma \(laid), the cheek is \(cheek)")
        for i in skin.mask.values.indices where skin.mask.values[i] >= 1 {
            let (x, y) = (skin.box.x0 + i % w, skin.box.y0 + i / w)
            #expect(under[x, y] == strands[x, y])
        }
    }

    @Test func browsWithSkinAboveThemStay() throws {
        // A higher fringe, forehead skin between it and the brows: the fringe goes, the brows stay.
        let photo = Self.fringed(bottom: 0.1, skinFrom: 0.035)
        // (An outline over the whole forehead: the default one ends below this fringe.)
        let found = PhotoHair().skin(of: photo, landmarks: Self.points, outline: SkinOutline(foreheadFraction: 1))
        let skin = try #require(found, "no fringe found")
        func at(_ p: SIMD2<Float>) -> Float { Self.value(of: skin, at: p) }
        for p in [Self.centre(FaceMeshTopology.rightEyebrowRing), Self.centre(FaceMeshTopology.leftEyebrowRing)] {
            #expect(at(p) > 0.9, "brow at \(p): \(at(p))")
            let q = p - SIMD2(0, 0.13 * Self.faceWidth)
            #expect(at(q) < 0.1, "fringe at \(q): \(at(q))")
        }
    }

    @Test func theSwapDoesNotPaintTheFringe() throws {
        // The fringed photo laid on the unpainted one's own landmarks (the frame is the photo itself): where the
        // fringe is, the swap's weight is 0 and its pixels are the frame's.
        let swapper = try MeshSwapper(source: Self.low, sourceLandmarks: Self.landmarks)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: Self.photo, landmarks: Self.landmarks)))
        let mask = try #require(swap.mask)
        // Just inside the fringe, low enough that the outline's forehead strip (30 % of the forehead) swaps it.
        let q = Self.browLine - SIMD2(0, 0.05 * Self.faceWidth) - swap.toFrame.apply(.zero)
        let (x, y) = (Int(q.x.rounded()), Int(q.y.rounded()))
        #expect(mask.values[y * mask.width + x] < 0.05, "weight in the fringe \(mask.values[y * mask.width + x])")
        let frame = Self.photo[x + Int(swap.toFrame.apply(.zero).x), y + Int(swap.toFrame.apply(.zero).y)]
        #expect(swap.image[x, y] == frame, "the swap painted \(swap.image[x, y]) over the frame's \(frame)")
        // Without the fringe the same place is swapped.
        let plain = try #require(try MeshSwapper(source: Self.photo, sourceLandmarks: Self.landmarks)
            .swap(FaceSwapInput(frame: Self.photo, landmarks: Self.landmarks)))
        #expect(try #require(plain.mask).values[y * mask.width + x] > 0.3)
    }

    @Test func theHairlessPhotoLaysTheFringesTipsUnderToo() throws {
        // The shipped photo's fringe is too small for a cut, but a cut lifted over a target's risen brows reaches it
        // (``MeshSwapper``'s hairless photo). Drawn whole there, the fringe's tips and the shadow under them (the
        // hair side of the cut's feather, which ``PhotoHair/underlay(_:skin:)`` mixes in only partly) lay across
        // the new forehead as a dark line; ``PhotoHair/hairless(_:skin:)`` lays them under skin.
        let hair = PhotoHair()
        let skin = try #require(hair.search(Self.photo, landmarks: Self.points, outline: SkinOutline())?.skin,
                                "no hair found")
        let (w, h) = (skin.mask.width, skin.mask.height)
        let (line, up) = FaceMeshTopology.browLine(skin.landmarks)
        let features = skin.box.features(grownBy: hair.browMargin)
        let oval = skin.box.oval
        // The forehead above the brows, inside the oval and clear of the features.
        let forehead = Set((0..<(w * h)).filter { i in
            let height = ((SIMD2(Float(i % w), Float(i / w)) - line) * up).sum() / Self.faceWidth
            return oval.values[i] > 0.99 && features.values[i] == 0 && height > 0.03
        })
        func luma(_ image: RGBImage, _ i: Int) -> Float {
            let p = image[skin.box.x0 + i % w, skin.box.y0 + i / w]
            return (Float(p.0) + Float(p.1) + Float(p.2)) / 3
        }
        // Per column running from the fringe into bare skin: the deepest valley of luma down it (a line across).
        func valleys(_ image: RGBImage) -> [Float] {
            (0..<w).compactMap { x -> Float? in
                let column = (0..<h).map { $0 * w + x }.filter { forehead.contains($0) }
                guard column.contains(where: { skin.mask.values[$0] < 0.3 }),
                      column.contains(where: { skin.mask.values[$0] > 0.9 }) else { return nil }
                let l = column.map { luma(image, $0) }
                return l.indices.map { k in min(l[...k].max()!, l[k...].max()!) - l[k] }.max()
            }
        }
        let underlaid = valleys(hair.underlay(Self.photo, skin: skin))
        let hairless = hair.hairless(Self.photo, skin: skin)
        let laid = valleys(hairless)
        #expect(underlaid.count >= 10, "\(underlaid.count) columns from the fringe into bare skin")
        let (before, after) = (underlaid.reduce(0, +) / Float(underlaid.count), laid.reduce(0, +) / Float(laid.count))
        #expect(before > 10, "the underlay's line: \(before) levels deep")
        #expect(after < 0.5 * before && after < 7, "the hairless photo's line: \(after) levels deep (underlay: \(before))")
        // Bare skin stays the photo's.
        for i in skin.mask.values.indices where skin.mask.values[i] >= 1 {
            let (x, y) = (skin.box.x0 + i % w, skin.box.y0 + i / w)
            #expect(hairless[x, y] == Self.photo[x, y])
        }
    }
}
