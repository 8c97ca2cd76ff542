import Face
import Imaging
import Stream
import Testing
@testable import Swap

extension RelightingTests {
    static let redLip: (UInt8, UInt8, UInt8) = (200, 40, 50)

    @Test func whereTheTargetsLipIsInDeepShadowTheNewLipStillTakesItsColour() {
        // The target's pale lips hold a dark spot (a shadowed corner: under half the lip's brightness, so not read
        // as lip) on the lower lip; the photo's lips are lipstick red. The local lip shading has nothing to rest on
        // there, and the red used to stay.
        let centre = (LipFixture.outer[3] + LipFixture.inner[3]) / 2
        let fixture = LipFixture { x, y in
            let p = SIMD2(Float(x), Float(y))
            let inSpot = ((p - centre) * (p - centre)).sum() < 36
            let lip = LipFixture.band[x, y] > 0
            return (lip ? (inSpot ? (50, 25, 25) : (170, 80, 80)) : (200, 150, 120), lip ? Self.redLip : (190, 150, 130))
        }
        let face = fixture.relit()
        let p = face[Int(centre.x.rounded()), Int(centre.y.rounded())]
        // The lips' red over green: the photo's 5, the target's lips' 2.1.
        let ratio = Float(p.r) / max(Float(p.g), 1)
        #expect(ratio < 3, "the spot's centre \(p): red ÷ green \(ratio)")
    }

    @Test func aRedLipsEdgeInsideTheRingDoesNotTurnPale() {
        // The photo's lips end a pixel inside the target's outer ring (FaceMesh fitted them there): the band's outer
        // pixel is the photo's skin and must not take the lips' tone (red to pale: the skin there turned a pale line).
        var photoLips = LipFixture.lips
        photoLips.erode(pixels: 1)
        let fixture = LipFixture { x, y in
            let lip = LipFixture.band[x, y] > 0
            return (lip ? (190, 130, 120) : (200, 150, 120),
                    lip && photoLips[x, y] > 0.5 ? Self.redLip : (190, 150, 130))
        }
        let face = fixture.relit()
        var rim = 0, kept = 0
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where LipFixture.band[x, y] > 0 && photoLips[x, y] < 0.5
                && LipFixture.lips[x, y] > 0.5 {
                rim += 1
                let p = face[x, y]
                if abs(Int(p.r) - 190) <= 12, abs(Int(p.g) - 150) <= 12, abs(Int(p.b) - 130) <= 12 { kept += 1 }
            }
        }
        #expect(rim > 40)
        #expect(Float(kept) >= 0.9 * Float(rim), "\(kept) of \(rim) skin pixels on the band's edge kept their colour")
        // The red lips themselves still take the target's pale lip colour.
        let mean = Self.meanLip(face, upper: false)
        #expect(abs(mean.x - 190) < 12 && abs(mean.y - 130) < 12 && abs(mean.z - 120) < 12, "lower lip \(mean)")
    }
}

extension RelightingTests {
    @Test func aPhotosMoustacheOverHalfItsUpperLipStaysDark() {
        // The photo's moustache covers the skin above its lips and the upper half of its upper lip; the lower half
        // shows the lip. The band round the hair holds no lip to take the target's tone from, and the hair must not
        // be lifted towards the lips' brightness.
        let lips = LipFixture.lips
        let top = LipFixture.top
        let hairLine = LipFixture.upperLip(at: 0.5)
        func hair(_ x: Int, _ y: Int) -> Bool {
            Self.aboveMouthLine(x, y) && Float(y) > top - 12 && Float(y) < hairLine
        }
        let fixture = LipFixture { x, y in
            (lips[x, y] > 0 ? (170, 80, 80) : (200, 150, 120),
             hair(x, y) ? (40, 32, 28) : lips[x, y] > 0 ? (185, 135, 125) : (190, 150, 130))
        }
        let face = fixture.relit()
        var sum: Float = 0, count: Float = 0
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where LipFixture.band[x, y] > 0.99 && hair(x, y) {
                sum += Float(face[x, y].r)
                count += 1
            }
        }
        #expect(count > 10)
        #expect(sum / max(count, 1) < 60, "moustache over the upper lip: red \(sum / max(count, 1))")
    }
}

extension RelightingTests {
    @Test func aPhotosMoustacheOverItsWholeUpperLipIsLeftToThePhoto() {
        // The photo's moustache hangs over its whole upper lip; near the lips' line, lip shows between its strands
        // (two pixels of every three). Those gaps passed as lip and took the target's lip tone: pale blobs under
        // the moustache, read as teeth on a closed mouth (portrait_s12 on talk_studio_1). Known to wear a
        // moustache, the upper lip stays the photo's; the lower lip still takes the target's tone.
        let lips = LipFixture.lips
        let top = LipFixture.top
        let gapLine = LipFixture.upperLip(at: 0.4)
        func hair(_ x: Int, _ y: Int) -> Bool { Self.aboveMouthLine(x, y) && Float(y) > top - 12 }
        let fixture = LipFixture { x, y in
            let gap = hair(x, y) && lips[x, y] > 0 && Float(y) > gapLine && x % 3 != 0
            let face: (UInt8, UInt8, UInt8) = gap ? (150, 105, 95) : hair(x, y) ? (40, 32, 28)
                : lips[x, y] > 0 ? (185, 135, 125) : (190, 150, 130)
            return (lips[x, y] > 0 ? (170, 80, 80) : (200, 150, 120), face)
        }
        let before = fixture.face
        let face = fixture.relit(swapUpperLipBare: false)
        var upper = 0, changed = 0
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where LipFixture.band[x, y] > 0 && Self.aboveMouthLine(x, y) {
                upper += 1
                let (p, q) = (face[x, y], before[x, y])
                let step = max(abs(Int(p.r) - Int(q.r)), abs(Int(p.g) - Int(q.g)), abs(Int(p.b) - Int(q.b)))
                if step > 2 { changed += 1 }
            }
        }
        #expect(upper > 100)
        #expect(changed == 0, "\(changed) of \(upper) pixels of the upper lip changed under the moustache")
        let lower = Self.meanLip(face, upper: false)
        #expect(abs(lower.x - 170) < 12 && abs(lower.y - 80) < 12 && abs(lower.z - 80) < 12, "lower lip \(lower)")
    }
}

extension RelightingTests {
    /// Luma of a pixel.
    private static func luma(_ p: (UInt8, UInt8, UInt8)) -> Float { (Float(p.0) + Float(p.1) + Float(p.2)) / 3 }

    @Test func aPhotosGlossDoesNotGlitterOnTheNewLips() {
        // The photo's lower lip is glossy: every third pixel a highlight 1.4× the lip. Finer than the lips' shading,
        // it passed as texture and glittered over the target's lips (portrait_s2).
        func glint(_ x: Int, _ y: Int) -> Bool { (x + y) % 3 == 0 }
        let fixture = LipFixture { x, y in
            let lip = LipFixture.band[x, y] > 0
            let gloss = lip && !Self.aboveMouthLine(x, y) && glint(x, y)
            return (lip ? (170, 80, 80) : (200, 150, 120),
                    lip ? (gloss ? (252, 189, 175) : (180, 135, 125)) : (190, 150, 130))
        }
        let face = fixture.relit()
        var core = LipFixture.band
        core.erode(pixels: 2)
        var glints: [Float] = [], rest: [Float] = []
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where core[x, y] > 0.99 && !Self.aboveMouthLine(x, y) {
                if glint(x, y) { glints.append(Self.luma(face[x, y])) } else { rest.append(Self.luma(face[x, y])) }
            }
        }
        #expect(glints.count > 20 && rest.count > 40)
        // Against the target's lip (luma 110): the lips' tone is the target's, a photo's highlight is not its light.
        let gloss = glints.reduce(0, +) / Float(max(glints.count, 1))
        #expect(gloss < 1.15 * 110, "the gloss's pixels reach luma \(gloss)")
        let lip = rest.reduce(0, +) / Float(max(rest.count, 1))
        #expect(lip > 0.85 * 110 && lip < 1.05 * 110, "the lip round them: luma \(lip)")
        // And against the lip round them (the photo's 1.4×).
        #expect(gloss / lip < 1.3, "the gloss's pixels are \(gloss / lip)× the lip round them")
    }

    @Test func thePhotosSkinInsideTheLipRingDoesNotTurnWhite() {
        // The photo's dark upper lip ends two pixels inside the target's outer ring, and its pale skin fills the
        // rest of the band (the rings missed its lips in a fast-closing mouth: portrait_s2 on talk_woman_d10).
        // That skin is far brighter than the photo's lip, and it used to take 1.5× the target's lip tone: a white rim.
        var photoLips = LipFixture.lips
        photoLips.erode(pixels: 2)
        let fixture = LipFixture { x, y in
            let lip = LipFixture.band[x, y] > 0
            let photoLip = lip && photoLips[x, y] > 0.5
            return (lip ? (170, 80, 80) : (200, 150, 120),
                    photoLip ? (Self.aboveMouthLine(x, y) ? (62, 50, 50) : (150, 110, 105)) : (205, 175, 165))
        }
        let face = fixture.relit()
        var rim: [Float] = []
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where LipFixture.band[x, y] > 0.99 && photoLips[x, y] < 0.5
                && Self.aboveMouthLine(x, y) {
                rim.append(Self.luma(face[x, y]))
            }
        }
        #expect(rim.count > 40)
        let brightest = rim.sorted()[rim.count * 9 / 10]
        // The target's lip luma is 110, its skin's 157.
        #expect(brightest <= 140, "the rim's brighter tenth reaches luma \(brightest)")
    }
}

extension RelightingTests {
    @Test func aPhotosDarkLipstickPastItsRingIsNotTakenForAMoustache() {
        // The photo's lips are dark red lipstick, which reaches 4 px past the ring above the upper lip (FaceMesh's
        // ring misses the lipstick's edge). Judged on the frame, that skin ring is as dark as a moustache, and the
        // upper lip (far darker than the skin) was left out of the lip shading as hair: it kept its red. Known to be
        // bare (the photo measured once: no moustache), it takes the target's lip tone like the lower lip.
        var overflow = LipFixture.lips
        overflow.erode(pixels: -4)
        let lipstick: (UInt8, UInt8, UInt8) = (110, 35, 35)
        let fixture = LipFixture { x, y in
            let lip = LipFixture.band[x, y] > 0
            let over = overflow[x, y] > 0.5 && Self.aboveMouthLine(x, y)
            return (lip ? (170, 80, 80) : (200, 150, 120), lip || over ? lipstick : (190, 150, 130))
        }
        func redness(_ face: RGBImage) -> Float {
            let mean = Self.meanLip(face, upper: true)
            return mean.x / max(mean.y, 1)
        }
        let judged = redness(fixture.relit()), known = redness(fixture.relit(swapUpperLipBare: true))
        // Red over green: the lipstick's 3.1, the target's lips' 2.1.
        #expect(judged > 2.8, "judged on the frame the upper lip keeps its red: \(judged)")
        #expect(known < 2.4, "known bare, the upper lip takes the target's tone: \(known)")
        #expect(redness(fixture.relit(swapUpperLipBare: false)) > 2.8, "a known moustache keeps it")
    }
}

extension RelightingTests {
    @Test func aPhotosLipsReachingIntoTheOpeningLeaveNoRedFringe() {
        // The photo's lipstick lips are fuller than the target's: they reach 2 px into the target's mouth opening
        // (dark). That rim lies under the kept mouth's feather, where the swap shows through in part: it takes the
        // target's lip tone like the lips, not the photo's red.
        let opening = PolygonRasterizer.fill(LipFixture.inner, width: LipFixture.width, height: LipFixture.height)
        var deep = opening
        deep.erode(pixels: 2)
        let fixture = LipFixture { x, y in
            let lip = LipFixture.band[x, y] > 0, rim = opening[x, y] > 0.5 && deep[x, y] < 0.5
            return (lip ? (170, 80, 80) : opening[x, y] > 0.5 ? (40, 20, 20) : (200, 150, 120),
                    lip || rim ? Self.redLip : opening[x, y] > 0.5 ? (40, 20, 20) : (190, 150, 130))
        }
        func rimRedness(_ face: RGBImage) -> Float {
            var red: Float = 0, green: Float = 0
            for y in 0..<LipFixture.height {
                for x in 0..<LipFixture.width where opening[x, y] > 0.5 && deep[x, y] < 0.5 {
                    red += Float(face[x, y].r)
                    green += Float(face[x, y].g)
                }
            }
            return red / max(green, 1)
        }
        var noRim = Relighting(strength: 1)
        noRim.lipOpeningRim = 0
        let before = rimRedness(fixture.relit(relighting: noRim)), after = rimRedness(fixture.relit())
        // Red over green: the lipstick's 5, the target's lips' 2.1.
        #expect(before > 3.5, "without the rim the photo's red stays: \(before)")
        #expect(after < 2.6, "the rim takes the target's lip tone: \(after)")
    }
}
