import Face
import Imaging
import Stream
import Testing
@testable import Swap

@Suite struct PhotoLipFitTests {
    static let points = AstronautPhoto.landmarks.points2D
    static let ring = FaceMeshTopology.outerLips.map { points[$0] }
    static let centre = ring.reduce(.zero, +) / Float(ring.count)
    static let mouthWidth = distance(points[FaceMeshTopology.mouthLeft], points[FaceMeshTopology.mouthRight])

    /// The astronaut wearing lipstick that reaches `reach` of the mouth's width past FaceMesh's outer ring on the
    /// lower lip (its points 2…8 pushed out from the mouth's centre), to the ring elsewhere; her teeth as they are.
    static func lipstick(reach: Float) -> RGBImage {
        let painted = ring.enumerated().map { k, p in
            (2...8).contains(k) ? p + reach * mouthWidth * (p - centre) / distance(p, centre) : p
        }
        var lips = PolygonRasterizer.fill(painted, width: AstronautPhoto.image.width, height: AstronautPhoto.image.height)
        lips.cut(PolygonRasterizer.fill(FaceMeshTopology.innerLips.map { points[$0] },
                                        width: lips.width, height: lips.height))
        var image = AstronautPhoto.image
        for y in 0..<image.height {
            for x in 0..<image.width where lips[x, y] > 0.5 { image[x, y] = (190, 45, 60) }
        }
        return image
    }

    /// How far each point of the outer ring moved away from the mouth's centre, as a share of the mouth's width.
    static func outwards(_ shifts: [SIMD2<Float>]) -> [Float] {
        zip(ring, shifts).map { p, s in ((s * (p - centre)).sum() / distance(p, centre)) / mouthWidth }
    }

    @Test func lipstickPastTheRingTakesTheRingOutToItsEdge() throws {
        let reach: Float = 0.06
        let shifts = try #require(PhotoLipFit().shifts(Self.points, in: Self.lipstick(reach: reach)))
        let out = Self.outwards(shifts.outer)
        // The lower lip's middle (points 4…7) goes out to the lipstick's edge, within a pixel (her mouth is 48
        // pixels wide); the points towards the corners part of the way, where the skin's triangles next to them are
        // small.
        for k in 4...7 {
            #expect(abs(out[k] - reach) < 0.025, "point \(k) moved \(out[k]) of the mouth's width, \(reach) painted")
        }
        for k in [2, 3, 8] { #expect(out[k] > 0.01, "point \(k) moved \(out[k])") }
        // The upper lip, painted to the ring, and the corners stay.
        for k in [0, 10] + Array(12...18) {
            #expect(abs(out[k]) < 0.02, "point \(k) moved \(out[k])")
        }
        // The lip's middle rings follow part of the way, and no mesh triangle folds.
        let moved = PhotoLipFit.moving(Self.points, by: shifts)
        for ring in FaceMeshTopology.middleLips {
            let m = ring[5], o = FaceMeshTopology.outerLips[5]
            let share = distance(moved[m], Self.points[m]) / distance(moved[o], Self.points[o])
            #expect(share > 0.1 && share < 0.9, "middle lip point \(m) moved \(share) of the outer point's move")
        }
        let squashed = PhotoLipFit.squashed(Self.points, moving: shifts)
        #expect(squashed.outer.isEmpty && squashed.inner.isEmpty)
    }

    @Test func aPhotoWhoseLipsAreNotApartInColourKeepsItsOuterRing() {
        // The same lipstick on a greyscale photo: nothing tells lip from skin.
        var grey = Self.lipstick(reach: 0.06)
        for y in 0..<grey.height {
            for x in 0..<grey.width {
                let p = grey[x, y]
                let (r, g, b) = (Float(p.r), Float(p.g), Float(p.b))
                let luma: Float = 0.299 * r + 0.587 * g + 0.114 * b
                let l = UInt8(luma.rounded())
                grey[x, y] = (l, l, l)
            }
        }
        let shifts = PhotoLipFit().shifts(Self.points, in: grey)
        #expect(!(shifts?.outer ?? []).contains { $0 != .zero })
    }

    @Test func theDarkGapBetweenTheLipsBelowTheInnerRingIsOpenedUp() throws {
        // A dark gap painted across the astronaut's lower inner ring, 4 % of her mouth's width into her lower lip (the
        // gap between a photo's closed lips, which FaceMesh's inner ring can miss): laid on the target's lower lip it
        // would be a dark line.
        let reach: Float = 0.04
        let inner = FaceMeshTopology.innerLips.map { Self.points[$0] }
        // The gap straddles the ring, as between closed lips.
        func along(_ k: Int, _ share: Float) -> SIMD2<Float> {
            inner[k] + share * Self.mouthWidth * (Self.ring[k] - inner[k]) / distance(Self.ring[k], inner[k])
        }
        let gap = PolygonRasterizer.fill((2...8).map { along($0, -0.02) } + (2...8).reversed().map { along($0, reach) },
                                         width: AstronautPhoto.image.width, height: AstronautPhoto.image.height)
        var image = AstronautPhoto.image
        for y in 0..<image.height {
            for x in 0..<image.width where gap[x, y] > 0.5 { image[x, y] = (30, 24, 24) }
        }
        let shifts = try #require(PhotoLipFit().shifts(Self.points, in: image))
        for k in 3...7 {
            let moved = distance(shifts.inner[k], .zero) / Self.mouthWidth
            #expect(abs(moved - reach) < 0.02, "inner point \(k) moved \(moved) of the mouth's width, \(reach) painted")
        }
        for k in 11...19 { #expect(shifts.inner[k] == .zero, "upper inner point \(k) moved \(shifts.inner[k])") }
        let squashed = PhotoLipFit.squashed(Self.points, moving: shifts)
        #expect(squashed.outer.isEmpty && squashed.inner.isEmpty)
    }

    @Test func theAstronautsOwnLipsKeepTheirRing() {
        // Her lips are pale, and FaceMesh's ring fits them: at most a pixel's move anywhere.
        let shifts = PhotoLipFit().shifts(Self.points, in: AstronautPhoto.image)
        for (k, s) in ((shifts?.outer ?? []) + (shifts?.inner ?? [])).enumerated() {
            #expect(distance(s, .zero) < 0.015 * Self.mouthWidth, "point \(k) moved \(s)")
        }
    }
}

private func distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }
