import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

@Suite struct PyramidBlendTests {
    static let over = TestImages.texture(width: 150, height: 110, phase: 1)
    static let under = TestImages.texture(width: 150, height: 110, phase: 2.5)

    func difference(mask value: (Int, Int) -> Float) -> [SIMD4<Float>] {
        var mask = AlphaMask(width: 150, height: 110)
        for y in 0..<110 { for x in 0..<150 { mask[x, y] = value(x, y) } }
        return PyramidBlend.difference(over: Self.over, under: Self.under, mask: mask, levels: 5)
    }

    @Test func fullAndEmptyMasksReconstructExactly() {
        let all = difference { _, _ in 1 }, none = difference { _, _ in 0 }
        var worst: Float = 0
        for y in 0..<110 {
            for x in 0..<150 {
                let o = Self.over[x, y], u = Self.under[x, y]
                let expected = SIMD4(Float(o.r) - Float(u.r), Float(o.g) - Float(u.g), Float(o.b) - Float(u.b), 0)
                let d = all[y * 150 + x] - expected
                worst = max(worst, d.max(), -d.min(), none[y * 150 + x].max(), -none[y * 150 + x].min())
            }
        }
        #expect(worst < 1e-3)
    }

    @Test func stepMaskIsExactFarFromTheEdgeAndSmoothAcrossIt() {
        let half = difference { x, _ in x < 75 ? 1 : 0 }
        let y = 55
        func at(_ x: Int) -> SIMD4<Float> { half[y * 150 + x] }
        let o = Self.over[5, y], u = Self.under[5, y]
        #expect(abs(at(5).x - (Float(o.r) - Float(u.r))) < 8)
        #expect(abs(at(145).x) < 8)
        // Across the edge the coarse bands change gradually: no column-to-column jump beyond the images' own.
        var jump: Float = 0
        for x in 60..<90 { jump = max(jump, abs(at(x + 1).x - at(x).x)) }
        var own: Float = 0
        for x in 60..<90 { own = max(own, abs(Float(Self.over[x + 1, y].r) - Float(Self.over[x, y].r)) + abs(Float(Self.under[x + 1, y].r) - Float(Self.under[x, y].r))) }
        #expect(jump <= own + 1)
    }
}

@Suite struct RelightingTests {
    static let landmarks = TestFaces.landmarks(center: SIMD2(160, 170), scale: 11)
    static let points = landmarks.points2D
    static let oval = FaceMeshTopology.faceOval.map { points[$0] }

    /// Warm skin lit from the right: dark left cheek, bright right cheek.
    static func targetColour(x: Int) -> SIMD3<Float> {
        let r = 150 + 60 * Float(x - 160) / 100
        return SIMD3(r, 0.72 * r, 0.55 * r)
    }

    @Test func greyscalePhotoTakesTheTargetsLightAndKeepsItsBrows() {
        let (w, h) = (320, 340)
        var target = RGBImage(width: w, height: h), face = RGBImage(width: w, height: h)
        let brows = [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing].map { $0.map { Self.points[$0] } }
        var browMask = AlphaMask(width: w, height: h)
        for ring in brows { PolygonRasterizer.fill(ring, into: &browMask) }
        for y in 0..<h {
            for x in 0..<w {
                let c = Self.targetColour(x: x)
                target[x, y] = (UInt8(c.x), UInt8(c.y), UInt8(c.z))
                let grey: UInt8 = browMask[x, y] > 0.5 ? 60 : 140
                face[x, y] = (grey, grey, grey)
            }
        }
        let weight = PolygonRasterizer.fill(Self.oval, width: w, height: h)
        let relighting = Relighting(strength: 1)
        relighting.apply(to: &face, target: target, weight: weight, region: weight,
                         features: FaceMeshTopology.featureRings.map { $0.map { Self.points[$0] } }, exclude: nil,
                         faceWidth: BoundingBox(bounding: Self.oval).width)
        // Skin on both cheeks: the target's colour and its light gradient, within a few levels.
        for p in [Self.points[FaceMeshTopology.rightCheek] * 0.6 + Self.points[1] * 0.4,
                  Self.points[FaceMeshTopology.leftCheek] * 0.6 + Self.points[1] * 0.4] {
            let (x, y) = (Int(p.x), Int(p.y))
            let expected = Self.targetColour(x: x), got = face[x, y]
            #expect(abs(Float(got.r) - expected.x) < 8 && abs(Float(got.g) - expected.y) < 8 && abs(Float(got.b) - expected.z) < 8,
                    "at \(x),\(y): \(got) vs \(expected)")
        }
        // The brows stay as dark against the skin as they were (60/140), in the target's hue.
        let brow = brows[0].reduce(SIMD2<Float>.zero, +) / Float(brows[0].count)
        let (bx, by) = (Int(brow.x), Int(brow.y))
        let skinBelow = face[bx, by + 14]
        let ratio = Float(face[bx, by].r) / Float(skinBelow.r)
        #expect(ratio < 0.55, "brow \(face[bx, by]) vs skin \(skinBelow)")
        #expect(face[bx, by].r > face[bx, by].b)
    }
}

extension RelightingTests {
    /// Skin that darkens steeply towards the sides of the face (contour make-up, light from the front).
    static func contourColour(x: Int, centre: Float, halfWidth: Float) -> SIMD3<Float> {
        let d = (Float(x) - centre) / halfWidth
        let r = max(210 - 110 * d * d, 40)
        return SIMD3(r, 0.75 * r, 0.6 * r)
    }

    @Test func shadingHoldsUpToTheBorderOfTheFace() {
        let (w, h) = (320, 340)
        let box = BoundingBox(bounding: Self.oval)
        let (centre, halfWidth) = (box.x + box.width / 2, box.width / 2)
        var target = RGBImage(width: w, height: h), face = RGBImage(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                let c = Self.contourColour(x: x, centre: centre, halfWidth: halfWidth)
                target[x, y] = (UInt8(c.x), UInt8(c.y), UInt8(c.z))
                face[x, y] = (140, 140, 140)
            }
        }
        // The swap's weight as the mesh swapper makes it: the oval eroded and feathered by 3.5 % of its width.
        let region = PolygonRasterizer.fill(Self.oval, width: w, height: h)
        var weight = region
        let feather = 0.035 * box.width
        weight.erode(pixels: Int(feather.rounded()))
        weight.gaussianBlur(sigma: feather)
        Relighting(strength: 1).apply(to: &face, target: target, weight: weight, region: region, features: [],
                                      exclude: nil, faceWidth: box.width)
        // 6 % of the face width inside the widest points of the oval (where `facelive score` compares the new
        // skin with the skin around it), where the weight is already fading: a plain local average gives the
        // lighter inner face's shading there.
        let oval = Self.oval
        for edge in [oval.min { $0.x < $1.x }!, oval.max { $0.x < $1.x }!] {
            let p = edge + SIMD2((edge.x < centre ? 1 : -1) * 0.06 * box.width, 0)
            let (x, y) = (Int(p.x), Int(p.y))
            let expected = Self.contourColour(x: x, centre: centre, halfWidth: halfWidth), got = face[x, y]
            #expect(abs(Float(got.r) - expected.x) < 5 && abs(Float(got.g) - expected.y) < 5 && abs(Float(got.b) - expected.z) < 5,
                    "at \(x),\(y): \(got) vs \(expected)")
        }
    }
}

/// What both lip tests build on ``RelightingTests/points``: the lip rings, the lips and their band, and the two
/// images painted per pixel; `relight` runs the lip step as the merger does.
struct LipFixture {
    static let (width, height) = (320, 340)
    static let outer = FaceMeshTopology.outerLips.map { RelightingTests.points[$0] }
    static let inner = FaceMeshTopology.innerLips.map { RelightingTests.points[$0] }
    /// The outer lip ring's top.
    static let top = outer.map(\.y).min()!

    /// The height `share` of the way down the upper lip, from the outer ring's top (0) to the upper inner lip (1).
    static func upperLip(at share: Float) -> Float {
        top + share * (RelightingTests.points[FaceMeshTopology.upperInnerLip].y - top)
    }
    /// Inside the outer lip ring.
    static let lips = PolygonRasterizer.fill(outer, width: width, height: height)
    /// The lip band: inside the outer ring, outside the inner one.
    static let band: AlphaMask = {
        var band = lips
        band.cut(PolygonRasterizer.fill(inner, width: width, height: height))
        return band
    }()

    var target = RGBImage(width: LipFixture.width, height: LipFixture.height)
    var face = RGBImage(width: LipFixture.width, height: LipFixture.height)

    /// Paints both images: `paint(x, y)` gives the (target, face) pixel.
    init(paint: (Int, Int) -> (target: (UInt8, UInt8, UInt8), face: (UInt8, UInt8, UInt8))) {
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                let (t, f) = paint(x, y)
                target[x, y] = t
                face[x, y] = f
            }
        }
    }

    /// The face after the lip step, over the face oval.
    func relit(swapUpperLipBare: Bool? = nil, relighting: Relighting = Relighting(strength: 1)) -> RGBImage {
        var face = face
        let faceWidth = BoundingBox(bounding: RelightingTests.oval).width
        guard let around = LipSurround(outer: Self.outer, inner: Self.inner, faceWidth: faceWidth,
                                       margin: relighting.lipMargin(faceWidth: faceWidth),
                                       canvas: (Self.width, Self.height)) else {
            Issue.record("the fixture's lips give no LipSurround")
            return face
        }
        relighting.relightLips(&face, target: target, around: around,
                               region: PolygonRasterizer.fill(RelightingTests.oval, width: Self.width, height: Self.height),
                               faceWidth: faceWidth, swapUpperLipBare: swapUpperLipBare)
        return face
    }
}

extension RelightingTests {
    @Test func paleLipsTakeTheTargetsLipColourAndKeepTheirTexture() {
        let (w, h) = (LipFixture.width, LipFixture.height)
        let lips = LipFixture.band
        let targetSkin = SIMD3<Float>(200, 150, 120), targetLip = SIMD3<Float>(170, 80, 80)
        let fixture = LipFixture { x, y in
            let t = targetSkin + (targetLip - targetSkin) * lips[x, y]
            // The photo's lips are barely darker than its skin, with a fine horizontal texture (±10 %).
            let lip: Float = lips[x, y] > 0 ? (y % 2 == 0 ? 1.1 : 0.9) : 1
            let f = (SIMD3<Float>(190, 150, 130) + (SIMD3<Float>(185, 135, 125) - SIMD3<Float>(190, 150, 130)) * lips[x, y]) * lip
            return ((UInt8(t.x), UInt8(t.y), UInt8(t.z)), (UInt8(f.x.rounded()), UInt8(f.y.rounded()), UInt8(f.z.rounded())))
        }
        let before = fixture.face
        let face = fixture.relit()
        var core = lips
        core.erode(pixels: 2)
        var sum = SIMD3<Float>.zero, count: Float = 0
        var stripes = (even: Float(0), odd: Float(0), n: Float(0))
        for y in 0..<(h - 1) {
            for x in 0..<w where core[x, y] > 0.99 && core[x, y + 1] > 0.99 {
                let p = face[x, y], q = face[x, y + 1]
                sum += SIMD3(Float(p.r), Float(p.g), Float(p.b))
                count += 1
                let (a, b) = (Float(p.r), Float(q.r))
                if y % 2 == 0 { stripes.even += a; stripes.odd += b } else { stripes.even += b; stripes.odd += a }
                stripes.n += 1
            }
        }
        #expect(count > 50)
        // The lips' mean colour is the target's lips' (within a few levels), no longer the photo's pale one.
        let mean = sum / max(count, 1)
        #expect(abs(mean.x - targetLip.x) < 6 && abs(mean.y - targetLip.y) < 6 && abs(mean.z - targetLip.z) < 6,
                "lips \(mean) vs \(targetLip)")
        // The photo's texture stays: the stripes' contrast (1.1 ÷ 0.9) survives the relighting.
        let contrast = stripes.even / max(stripes.odd, 1)
        #expect(contrast > 1.15 && contrast < 1.30, "stripe contrast \(contrast)")
        // Skin away from the lips is not touched.
        let nose = Self.points[1]
        #expect(face[Int(nose.x), Int(nose.y)] == before[Int(nose.x), Int(nose.y)])
    }

    @Test func aMoustacheOverTheTargetsLipsDoesNotDarkenTheNewLips() {
        let lips = LipFixture.lips
        let top = LipFixture.top, bottom = LipFixture.outer.map(\.y).max()!
        let fixture = LipFixture { x, y in
            // A thick moustache over most of the lips (all but their lowest few pixels) and the skin above them.
            let hair = Float(y) > top - 12 && Float(y) < bottom - 4 && (lips[x, y] > 0 || Float(y) <= top + 2)
            return (hair ? (40, 32, 28) : (200, 150, 120), lips[x, y] > 0 ? (185, 135, 125) : (190, 150, 130))
        }
        let before = fixture.face
        let face = fixture.relit()
        // The upper lip (under the target's moustache) keeps about its own tone: no hair-dark band.
        let p = (Self.points[0] + Self.points[FaceMeshTopology.upperInnerLip]) / 2
        let (x, y) = (Int(p.x), Int(p.y))
        #expect(Float(face[x, y].r) > 0.8 * Float(before[x, y].r), "upper lip \(face[x, y]) was \(before[x, y])")
    }
}

extension RelightingTests {
    /// Whether pixel (x, y) lies above the line through the mouth's corners (the upper lip's side).
    static func aboveMouthLine(_ x: Int, _ y: Int) -> Bool {
        let (a, b) = (LipFixture.outer[0], LipFixture.outer[LipFixture.outer.count / 2])
        return Float(y) < a.y + (b.y - a.y) * (Float(x) - a.x) / (b.x - a.x)
    }

    /// The mean colour of the face's lip band (2 px inside it) on one side of the mouth line.
    static func meanLip(_ face: RGBImage, upper: Bool) -> SIMD3<Float> {
        var core = LipFixture.band
        core.erode(pixels: 2)
        var sum = SIMD3<Float>.zero, count: Float = 0
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where core[x, y] > 0.99 && aboveMouthLine(x, y) == upper {
                let p = face[x, y]
                sum += SIMD3(Float(p.r), Float(p.g), Float(p.b))
                count += 1
            }
        }
        #expect(count > 20)
        return sum / max(count, 1)
    }

    @Test func aTopLitPhotosLipsBothTakeTheTargetsLipColour() {
        let lips = LipFixture.band
        let targetLip = SIMD3<Float>(170, 80, 80)
        // The photo's upper lip in its own shadow (0.4 of its skin), its lower lip as bright as the skin: against
        // one median for both, the lower lip read as teeth and the upper as a moustache, and neither was relit.
        let fixture = LipFixture { x, y in
            let t: (UInt8, UInt8, UInt8) = lips[x, y] > 0 ? (170, 80, 80) : (200, 150, 120)
            let f: (UInt8, UInt8, UInt8) = lips[x, y] == 0 ? (190, 150, 130)
                : Self.aboveMouthLine(x, y) ? (80, 56, 52) : (205, 160, 150)
            return (t, f)
        }
        let face = fixture.relit()
        for upper in [true, false] {
            let mean = Self.meanLip(face, upper: upper)
            #expect(abs(mean.x - targetLip.x) < 10 && abs(mean.y - targetLip.y) < 10 && abs(mean.z - targetLip.z) < 10,
                    "\(upper ? "upper" : "lower") lip \(mean) vs \(targetLip)")
        }
    }

    @Test func thePhotosMoustacheStaysDark() {
        let lips = LipFixture.lips
        let top = LipFixture.top
        let (left, right) = (LipFixture.outer.map(\.x).min()!, LipFixture.outer.map(\.x).max()!)
        // The photo's moustache over the middle of its upper lip and the skin above it, bare skin beside the
        // mouth's corners (which brings the skin ring's median up to a bare lip's): hair, not a lip in shadow.
        let fixture = LipFixture { x, y in
            let middle = abs(Float(x) - (left + right) / 2) < 0.3 * (right - left)
            let hair = middle && Self.aboveMouthLine(x, y) && Float(y) > top - 12 && (lips[x, y] > 0 || Float(y) <= top + 2)
            return (lips[x, y] > 0 ? (170, 80, 80) : (200, 150, 120), hair ? (40, 32, 28) : (190, 150, 130))
        }
        let face = fixture.relit()
        var sum: Float = 0, count: Float = 0
        for y in 0..<LipFixture.height {
            for x in 0..<LipFixture.width where LipFixture.band[x, y] > 0.99 && Self.aboveMouthLine(x, y)
                && abs(Float(x) - (left + right) / 2) < 0.25 * (right - left) {
                sum += Float(face[x, y].r)
                count += 1
            }
        }
        #expect(count > 10)
        #expect(sum / max(count, 1) < 60, "moustache over the upper lip: red \(sum / max(count, 1))")
    }
}

@Suite struct GlassesDetectorTests {
    static let landmarks = TestFaces.landmarks(center: SIMD2(160, 170), scale: 11)
    static let points = landmarks.points2D

    /// Skin, with dark frames (a ring round each eye and a bridge) when `glasses`.
    static func face(glasses: Bool) -> RGBImage {
        var image = RGBImage(width: 320, height: 340)
        let eyes = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map { ring in
            ring.map { points[$0] }.reduce(SIMD2<Float>.zero, +) / Float(ring.count)
        }
        let d = simd_distance(points[FaceMeshTopology.rightEyeOuter], points[FaceMeshTopology.leftEyeOuter])
        let radius = 0.3 * d, middle = (eyes[0] + eyes[1]) / 2
        for y in 0..<340 {
            for x in 0..<320 {
                let p = SIMD2(Float(x), Float(y))
                var dark = false
                if glasses {
                    for e in eyes where abs(simd_distance(p, e) - radius) < 1.5 { dark = true }
                    if abs(p.y - (middle.y - 0.05 * d)) < 1.5, abs(p.x - middle.x) < 0.15 * d { dark = true }
                }
                image[x, y] = dark ? (40, 35, 30) : (200, 150, 120)
            }
        }
        return image
    }

    @Test func framesAcrossTheBridgeAreFoundAndKept() throws {
        let with = try #require(GlassesDetector.detect(in: Self.face(glasses: true), points: Self.points))
        let without = try #require(GlassesDetector.detect(in: Self.face(glasses: false), points: Self.points))
        #expect(with.evidence > GlassesDetector.presentAbove)
        #expect(without.evidence < GlassesDetector.absentBelow)
        #expect(with.lines.values.filter { $0 > 0.5 }.count > 100)
        #expect(without.lines.values.allSatisfy { $0 == 0 })
    }

    @Test func aFaceWithoutGlassesIsLookedAtEveryFewFrames() {
        // Faces without glasses read about 0.3 (0.25–0.36 on the shared clips): looked at again only after
        // `idleFrames`. In doubt (between the bounds) or with glasses, on every frame.
        func looks(at evidence: Float) -> [Int] {
            var track = GlassesTrack()
            return (0..<12).filter { _ in
                guard track.shouldLook() else { return false }
                track.observe(evidence)
                return true
            }
        }
        let gap = GlassesTrack.idleFrames + 1
        #expect(looks(at: 0.3) == [0, gap, 2 * gap])
        #expect(looks(at: 0.45) == Array(0..<12))
        #expect(looks(at: 0.9) == Array(0..<12))
    }

    @Test func trackNeedsSeveralFramesToChangeItsMind() {
        var track = GlassesTrack()
        track.observe(1)
        #expect(track.present)
        track.observe(0)
        #expect(track.present)
        for _ in 0..<10 { track.observe(0) }
        #expect(!track.present)
    }
}

/// The relighting's zones: the target's fine shading at the border and the lips, a coarse one inside.
extension RelightingTests {
    static let faceWidth = BoundingBox(bounding: oval).width

    /// A brightness factor: 1 + `depth` × a Gaussian of σ `sigma` px centred on `centre`.
    static func bump(_ x: Int, _ y: Int, at centre: SIMD2<Float>, depth: Float, sigma: Float) -> Float {
        let d = SIMD2(Float(x), Float(y)) - centre
        return 1 + depth * exp(-(d * d).sum() / (2 * sigma * sigma))
    }

    /// `colour` × `factor`, rounded to bytes.
    static func pixel(_ colour: SIMD3<Float>, _ factor: Float) -> (UInt8, UInt8, UInt8) {
        let c = (colour * factor).rounded(.toNearestOrEven).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
        return (UInt8(c.x), UInt8(c.y), UInt8(c.z))
    }

    /// The merger's call on the test face: warm target with the given modelling, grey photo face with its own.
    /// `faceTint` multiplies the photo's grey per channel (a ruddy cheek); the swap's weight is 0 inside
    /// `weightHole` (where a photo's lock of hair was cut).
    static func relit(_ relighting: Relighting, targetFactor: (Int, Int) -> Float, faceFactor: (Int, Int) -> Float,
                      faceTint: (Int, Int) -> SIMD3<Float> = { _, _ in SIMD3(repeating: 1) },
                      targetTint: (Int, Int) -> SIMD3<Float> = { _, _ in SIMD3(repeating: 1) },
                      weightHole: (centre: SIMD2<Float>, radius: Float)? = nil, featheredRegion: Bool = false,
                      fromOtherLight: Bool = true, socketShadow: Float = 0, socketStretch: Float = 0,
                      moustache: Float = 0, smile: Float = 0) -> RGBImage {
        let (w, h) = (320, 340)
        var target = RGBImage(width: w, height: h), face = RGBImage(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w {
                target[x, y] = pixel(SIMD3(190, 140, 110) * targetTint(x, y), targetFactor(x, y))
                face[x, y] = pixel(SIMD3(150, 150, 150) * faceTint(x, y), faceFactor(x, y))
            }
        }
        let region = PolygonRasterizer.fill(oval, width: w, height: h)
        var weight = region
        weight.erode(pixels: Int((0.035 * faceWidth).rounded()))
        weight.gaussianBlur(sigma: 0.035 * faceWidth)
        if let (centre, radius) = weightHole {
            for y in 0..<h {
                for x in 0..<w {
                    let d = SIMD2(Float(x), Float(y)) - centre
                    if (d * d).sum() < radius * radius { weight[x, y] = 0 }
                }
            }
        }
        relighting.apply(to: &face, target: target, weight: weight, region: featheredRegion ? weight : region,
                         features: FaceMeshTopology.featureRings.map { $0.map { points[$0] } },
                         mouth: FaceMeshTopology.outerLips.map { points[$0] },
                         brows: [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing].map { $0.map { points[$0] } },
                         eyes: [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map { $0.map { points[$0] } },
                         exclude: nil, faceWidth: faceWidth, fromOtherLight: fromOtherLight, socketShadow: socketShadow,
                         socketStretch: socketStretch, upperLipSkin: FaceMeshTopology.upperLipSkin.map { points[$0] },
                         smileFolds: FaceMeshTopology.smileFolds.map { $0.map { points[$0] } }, moustache: moustache,
                         smile: smile)
        return face
    }

    /// How much of a modelling bump (`depth`, at `centre`) shows in the output: log of the output with it ÷ the
    /// output without, over log(1 + depth) (1 = kept in full, 0 = gone).
    static func share(_ with: RGBImage, _ without: RGBImage, at centre: SIMD2<Float>, depth: Float) -> Float {
        let (x, y) = (Int(centre.x.rounded()), Int(centre.y.rounded()))
        let a = with[x, y], b = without[x, y]
        let ratio = (Float(a.r) + Float(a.g) + Float(a.b)) / (Float(b.r) + Float(b.g) + Float(b.b))
        return log(ratio) / log(1 + depth)
    }

    /// How much of the photo's modelling `shadows` (`depth` at `point`, as ``bump(_:_:at:depth:sigma:)``) the relit
    /// face keeps over a flat target (``share(_:_:at:depth:)``).
    static func kept(_ relighting: Relighting, shadows: @escaping (Int, Int) -> Float, at point: SIMD2<Float>,
                     depth: Float, fromOtherLight: Bool = true, socketShadow: Float = 0, socketStretch: Float = 0,
                     moustache: Float = 0) -> Float {
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        return share(relit(relighting, targetFactor: flat, faceFactor: shadows, fromOtherLight: fromOtherLight,
                           socketShadow: socketShadow, socketStretch: socketStretch, moustache: moustache),
                     relit(relighting, targetFactor: flat, faceFactor: flat, fromOtherLight: fromOtherLight,
                           socketShadow: socketShadow, socketStretch: socketStretch, moustache: moustache),
                     at: point, depth: depth)
    }

    /// ``kept(_:shadows:at:depth:fromOtherLight:socketShadow:moustache:)`` with the blend's feathered mask as the
    /// region (as the merger hands it over), not the whole oval.
    static func keptUnderFeather(_ relighting: Relighting, shadows: @escaping (Int, Int) -> Float, at point: SIMD2<Float>,
                                 depth: Float) -> Float {
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        return share(relit(relighting, targetFactor: flat, faceFactor: shadows, featheredRegion: true),
                     relit(relighting, targetFactor: flat, faceFactor: flat, featheredRegion: true), at: point, depth: depth)
    }

    /// Between the nose and each eye: inside the face, away from its border and lips.
    static var interiorPoints: (right: SIMD2<Float>, left: SIMD2<Float>) {
        func centre(_ ring: [Int]) -> SIMD2<Float> { ring.map { points[$0] }.reduce(.zero, +) / Float(ring.count) }
        let nose = points[FaceMeshTopology.noseTip]
        return ((nose + centre(FaceMeshTopology.rightEye)) / 2, (nose + centre(FaceMeshTopology.leftEye)) / 2)
    }

    @Test func theInteriorKeepsTheNewFacesModellingNotTheTargets() {
        // Mid-scale modelling (σ 5 % of the face width, between the fine and the interior's shading scale): a
        // highlight on the photo's face beside its nose, a hollow on the target's face on the other side.
        let sigma = 0.05 * Self.faceWidth
        let (right, left) = Self.interiorPoints
        let highlight: (Int, Int) -> Float = { Self.bump($0, $1, at: left, depth: 0.3, sigma: sigma) }
        let hollow: (Int, Int) -> Float = { Self.bump($0, $1, at: right, depth: -0.3, sigma: sigma) }
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        func shares(_ relighting: Relighting) -> (own: Float, target: Float) {
            let base = Self.relit(relighting, targetFactor: flat, faceFactor: flat)
            let own = Self.share(Self.relit(relighting, targetFactor: flat, faceFactor: highlight), base, at: left, depth: 0.3)
            let target = Self.share(Self.relit(relighting, targetFactor: hollow, faceFactor: flat), base, at: right, depth: -0.3)
            return (own, target)
        }
        // (The synthetic target has no detail at all, against which any photo counts as hard-lit: the toning is
        // tested on its own, ``aHardLitPhotosShadowsAreTonedDownToTheScenes``.)
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        let zoned = shares(untoned)
        #expect(zoned.own > 0.75, "the photo's highlight kept \(zoned.own)")
        #expect(zoned.target < 0.3, "the target's hollow printed \(zoned.target)")
        // One fine shading everywhere (as before): the photo's modelling goes, the target's comes.
        var fineOnly = untoned
        fineOnly.interiorScale = 0
        let fine = shares(fineOnly)
        #expect(fine.own < 0.5, "fine only: the photo's highlight kept \(fine.own)")
        #expect(fine.target > 0.45, "fine only: the target's hollow printed \(fine.target)")
    }

    @Test func aPhotosSmilingCheekBesideAPursedMouthTakesNeitherFacesModelling() {
        // A smile's bright cheek beside the photo's mouth corner, at the mid-scale the interior keeps (σ 5 % of the
        // face width, 0.1 of it out from the corner); a hollow on the target's face at the same spot.
        let sigma = 0.05 * Self.faceWidth
        let corner = Self.points[FaceMeshTopology.mouthRight]
        let cheek = corner + SIMD2(-0.1 * Self.faceWidth, -0.02 * Self.faceWidth)
        let highlight: (Int, Int) -> Float = { Self.bump($0, $1, at: cheek, depth: 0.3, sigma: sigma) }
        let hollow: (Int, Int) -> Float = { Self.bump($0, $1, at: cheek, depth: -0.3, sigma: sigma) }
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        // Only the modelling's step: the fine detail of the folds beside the mouth, which the cheek's point lies
        // in, has its own (`aSmilingPhotosCreasesBesideTheMouthFadeOnAMouthThatDoesNotSmile`).
        untoned.smileFoldFlattening = 0
        let depth = untoned.smileDepth
        untoned.smileDepth = 1
        func shares(smile: Float) -> (own: Float, target: Float) {
            let base = Self.relit(untoned, targetFactor: flat, faceFactor: flat, smile: smile)
            let own = Self.share(Self.relit(untoned, targetFactor: flat, faceFactor: highlight, smile: smile), base,
                                 at: cheek, depth: 0.3)
            let target = Self.share(Self.relit(untoned, targetFactor: hollow, faceFactor: flat, smile: smile), base,
                                    at: cheek, depth: -0.3)
            return (own, target)
        }
        // The photo smiles as the target does: its cheek's modelling is its own and stays.
        let matching = shares(smile: 0)
        #expect(matching.own > 0.6, "no smile mismatch: the photo's cheek kept \(matching.own)")
        // It smiles at a mouth that does not: the cheek's highlight goes but for what the fine shading itself leaves
        // of a bump this wide (a third), and the target's hollow does not come in its place (its face shape there is
        // the target's identity).
        let smiling = shares(smile: 1)
        #expect(smiling.own < 0.45, "smile mismatch: the photo's cheek kept \(smiling.own)")
        #expect(smiling.target < 0.3, "smile mismatch: the target's hollow printed \(smiling.target)")
        // Half a mismatch, about half the highlight: no step between a smile and none.
        let half = shares(smile: 0.5).own
        #expect(half > smiling.own + 0.1 && half < matching.own - 0.1, "half a mismatch: \(half)")
        // The default depth takes its share out at a full mismatch as a full depth does at that share.
        untoned.smileDepth = depth
        let byDefault = shares(smile: 1).own
        untoned.smileDepth = 1
        #expect(abs(byDefault - shares(smile: depth).own) < 0.02, "default depth \(depth): \(byDefault)")
        // Away from the mouth (beside the nose, under the eye) the photo's modelling stays whatever the smile.
        let (_, left) = Self.interiorPoints
        let nose: (Int, Int) -> Float = { Self.bump($0, $1, at: left, depth: 0.3, sigma: sigma) }
        let away = Self.share(Self.relit(untoned, targetFactor: flat, faceFactor: nose, smile: 1),
                              Self.relit(untoned, targetFactor: flat, faceFactor: flat, smile: 1), at: left, depth: 0.3)
        #expect(away > 0.6, "beside the nose with a smile mismatch: kept \(away)")
    }

    @Test func aSmilingPhotosBandOverTheUpperLipFadesOnAMouthThatDoesNotSmile() {
        // Fine detail (σ 1.2 % of the face width, below the fine shading's scale, so the photo's own) midway between
        // nose and upper lip, where a smiling photo's stretched lip catches its light; the same on the cheek.
        let sigma = 0.012 * Self.faceWidth
        let upperLip = (Self.points[0] + Self.points[2]) / 2
        let (_, cheek) = Self.interiorPoints
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        func kept(at point: SIMD2<Float>, depth: Float, smile: Float) -> Float {
            let bump: (Int, Int) -> Float = { Self.bump($0, $1, at: point, depth: depth, sigma: sigma) }
            return Self.share(Self.relit(untoned, targetFactor: flat, faceFactor: bump, smile: smile),
                              Self.relit(untoned, targetFactor: flat, faceFactor: flat, smile: smile),
                              at: point, depth: depth)
        }
        // The photo smiles as the target does: the band is its own and stays.
        #expect(kept(at: upperLip, depth: 0.3, smile: 0) > 0.8, "no mismatch: \(kept(at: upperLip, depth: 0.3, smile: 0))")
        // At a full mismatch `upperLipFlattening` of it goes, bright or dark; all of it at 1.
        let share = untoned.upperLipFlattening
        for depth: Float in [0.3, -0.2] {
            let smiling = kept(at: upperLip, depth: depth, smile: 1)
            #expect(abs(smiling - (1 - share)) < 0.1, "mismatch, depth \(depth): kept \(smiling), not \(1 - share)")
        }
        untoned.upperLipFlattening = 1
        #expect(kept(at: upperLip, depth: 0.3, smile: 1) < 0.1, "all flattened: \(kept(at: upperLip, depth: 0.3, smile: 1))")
        // The cheek's fine detail stays whatever the smile.
        #expect(kept(at: cheek, depth: 0.3, smile: 1) > 0.8, "cheek: \(kept(at: cheek, depth: 0.3, smile: 1))")
        // So does a moustache's: a smiling photo with one keeps it.
        let hair: (Int, Int) -> Float = { Self.bump($0, $1, at: upperLip, depth: -0.5, sigma: sigma) }
        let moustache = Self.share(Self.relit(untoned, targetFactor: flat, faceFactor: hair, moustache: 1, smile: 1),
                                   Self.relit(untoned, targetFactor: flat, faceFactor: flat, moustache: 1, smile: 1),
                                   at: upperLip, depth: -0.5)
        #expect(moustache > 0.8, "a moustache with a smile mismatch: kept \(moustache)")
    }

    @Test func aSmilingPhotosCreasesBesideTheMouthFadeOnAMouthThatDoesNotSmile() {
        // A fine dark crease (σ 1.2 % of the face width, the photo's own detail) on each fold beside the mouth,
        // midway between the nostril's wing and the mouth's corner.
        let sigma = 0.012 * Self.faceWidth
        let folds = [(129, 57), (358, 287)].map { (Self.points[$0.0] + Self.points[$0.1]) / 2 }
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        func kept(at point: SIMD2<Float>, smile: Float, moustache: Float = 0) -> Float {
            let crease: (Int, Int) -> Float = { Self.bump($0, $1, at: point, depth: -0.3, sigma: sigma) }
            return Self.share(Self.relit(untoned, targetFactor: flat, faceFactor: crease, moustache: moustache,
                                         smile: smile),
                              Self.relit(untoned, targetFactor: flat, faceFactor: flat, moustache: moustache,
                                         smile: smile),
                              at: point, depth: -0.3)
        }
        let share = untoned.smileFoldFlattening
        for fold in folds {
            // The photo smiles as the target does: the crease is its own and stays.
            #expect(kept(at: fold, smile: 0) > 0.8, "no mismatch: \(kept(at: fold, smile: 0))")
            // At a full mismatch `smileFoldFlattening` of it goes.
            let smiling = kept(at: fold, smile: 1)
            #expect(abs(smiling - (1 - share)) < 0.1, "mismatch: kept \(smiling), not \(1 - share)")
            // A moustache reaching there is hair, not a crease: it stays.
            #expect(kept(at: fold, smile: 1, moustache: 1) > 0.8, "moustache: \(kept(at: fold, smile: 1, moustache: 1))")
        }
        untoned.smileFoldFlattening = 1
        #expect(folds.allSatisfy { kept(at: $0, smile: 1) < 0.1 }, "all flattened: \(folds.map { kept(at: $0, smile: 1) })")
    }

    @Test func theInteriorTakesTheTargetsColourNotThePhotosTints() {
        // A ruddy patch on the photo's cheek (red up, green and blue down, brightness about the same) at the
        // mid-scale the interior's coarse shading would keep: its brightness is the photo's own, its colour the
        // target's camera's, so the patch fades to the skin around it.
        let sigma = 0.05 * Self.faceWidth
        let (_, left) = Self.interiorPoints
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        let ruddy: (Int, Int) -> SIMD3<Float> = { x, y in
            let b = Self.bump(x, y, at: left, depth: 1, sigma: sigma) - 1  // 0…1, 1 at the centre
            return SIMD3(1 + 0.25 * b, 1 - 0.15 * b, 1 - 0.15 * b)
        }
        func redness(_ image: RGBImage) -> Float {
            let p = image[Int(left.x.rounded()), Int(left.y.rounded())]
            return Float(p.r) / (Float(p.g) + 1)
        }
        let relighting = Relighting(strength: 1)
        let base = redness(Self.relit(relighting, targetFactor: flat, faceFactor: flat))
        let tinted = redness(Self.relit(relighting, targetFactor: flat, faceFactor: flat, faceTint: ruddy))
        let photoStep = (1.25 / 0.85) - 1  // the patch's red ÷ green over the skin's, less 1
        #expect((tinted / base - 1) < 0.3 * Float(photoStep), "the photo's ruddy patch kept: \(tinted / base - 1) of \(photoStep)")
    }

    @Test func aTargetsHighlightDoesNotLeaveAGreyPatch() {
        // A highlight on the target's face beside its nose (a shine on the nose bridge): brighter and paler, the
        // light's own colour mixed into the skin's. The interior keeps the photo's brightness there, so its colour
        // must be the skin's too: the highlight's pale chroma at the skin's brightness reads as grey.
        let sigma = 0.05 * Self.faceWidth
        let (_, left) = Self.interiorPoints
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        let shine: (Int, Int) -> Float = { Self.bump($0, $1, at: left, depth: 0.3, sigma: sigma) }
        let pale: (Int, Int) -> SIMD3<Float> = { x, y in
            let b = Self.bump(x, y, at: left, depth: 1, sigma: sigma) - 1  // 0…1, 1 at the centre
            // The skin (190, 140, 110) turned towards white at the centre: (190, 165, 150) over 1.3.
            return SIMD3(1, 1 + 0.18 * b, 1 + 0.36 * b)
        }
        func saturation(_ image: RGBImage) -> Float {
            let p = image[Int(left.x.rounded()), Int(left.y.rounded())]
            return (Float(p.r) - Float(p.b)) / max(Float(p.r) + Float(p.g) + Float(p.b), 1)
        }
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        let skin = saturation(Self.relit(untoned, targetFactor: flat, faceFactor: flat))
        let shone = saturation(Self.relit(untoned, targetFactor: shine, faceFactor: flat, targetTint: pale))
        #expect(shone > 0.8 * skin, "the highlight's chroma kept at the skin's brightness: \(shone) vs skin \(skin)")
        var fineColour = untoned
        fineColour.interiorChromaShift = 0
        let grey = saturation(Self.relit(fineColour, targetFactor: shine, faceFactor: flat, targetTint: pale))
        #expect(grey < 0.8 * skin, "with the fine chroma the patch is paler: \(grey) vs skin \(skin)")
    }

    @Test func cellsWithoutTheFacesShadingDoNotPrintTheCellGrid() {
        // The swap's weight has a hole inside the region it may change (where a photo's lock of hair was cut, the
        // frame shows through): no shading of the face there. Toning (a photo with shadows on a flat target) only
        // lifts shadows, so nothing may come out darker than untoned — blending shading-less cells in as 0 drew
        // dark lines along the cells round the hole.
        let (right, _) = Self.interiorPoints
        let hole = (centre: right + SIMD2(-0.12 * Self.faceWidth, 0.1 * Self.faceWidth), radius: 0.2 * Self.faceWidth)
        let shadows: (Int, Int) -> Float = { Self.bump($0, $1, at: right, depth: -0.5, sigma: 0.02 * Self.faceWidth) }
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        let toned = Self.relit(Relighting(strength: 1), targetFactor: flat, faceFactor: shadows, weightHole: hole)
        let plain = Self.relit(untoned, targetFactor: flat, faceFactor: shadows, weightHole: hole)
        let region = PolygonRasterizer.fill(Self.oval, width: toned.width, height: toned.height)
        var darkest: Float = 1
        for y in 0..<toned.height {
            for x in 0..<toned.width where region[x, y] > 0 {
                let a = toned[x, y], b = plain[x, y]
                darkest = min(darkest, (Float(a.r) + Float(a.g) + Float(a.b)) / max(Float(b.r) + Float(b.g) + Float(b.b), 1))
            }
        }
        #expect(darkest > 0.97, "toning darkened a pixel to \(darkest) of its untoned value")
    }

    @Test func aPhotosFineTintsOnTheSkinAndBrowsTakeTheTargetsColourItsLipsKeepTheirs() {
        // A thin red streak (σ 1 % of the face width, below any shading scale: a shadow along the nose, rouge,
        // a tinted lid) on the photo's skin or brows takes the target's colour; the same tint on the lips is the
        // lips' own.
        let sigma = 0.01 * Self.faceWidth
        let (_, left) = Self.interiorPoints
        let lips = (Self.points[17] + Self.points[14]) / 2  // mid lower lip: outer and inner centre points
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        func streak(at centre: SIMD2<Float>) -> (Int, Int) -> SIMD3<Float> {
            { x, y in
                let b = Self.bump(x, y, at: centre, depth: 1, sigma: sigma) - 1
                return SIMD3(1 + 0.3 * b, 1 - 0.2 * b, 1 - 0.2 * b)
            }
        }
        func redness(_ image: RGBImage, at point: SIMD2<Float>) -> Float {
            let p = image[Int(point.x.rounded()), Int(point.y.rounded())]
            return Float(p.r) / (Float(p.g) + 1)
        }
        let photoStep: Float = 1.3 / 0.8 - 1
        func step(_ relighting: Relighting, at point: SIMD2<Float>) -> Float {
            let base = Self.relit(relighting, targetFactor: flat, faceFactor: flat)
            let tinted = Self.relit(relighting, targetFactor: flat, faceFactor: flat, faceTint: streak(at: point))
            return redness(tinted, at: point) / redness(base, at: point) - 1
        }
        var own = Relighting(strength: 1)
        own.skinChroma = 0
        #expect(step(own, at: left) > 0.7 * photoStep, "without it the streak stays: \(step(own, at: left))")
        let skin = step(Relighting(strength: 1), at: left)
        #expect(abs(skin) < 0.1 * photoStep, "the streak on the skin kept \(skin) of \(photoStep)")
        let lip = step(Relighting(strength: 1), at: lips)
        #expect(lip > 0.7 * photoStep, "the lips' tint kept \(lip) of \(photoStep)")
        // The brows take it too (hair takes the scene's light as the skin does), unless `browChroma` is 0.
        let ring = FaceMeshTopology.rightEyebrowRing
        let brow = ring.map { Self.points[$0] }.reduce(.zero, +) / Float(ring.count)
        let browStep = step(Relighting(strength: 1), at: brow)
        #expect(abs(browStep) < 0.1 * photoStep, "the streak on the brow kept \(browStep) of \(photoStep)")
        var ownBrows = Relighting(strength: 1)
        ownBrows.browChroma = 0
        #expect(step(ownBrows, at: brow) > 0.7 * photoStep, "with browChroma 0 the brow's tint went: \(step(ownBrows, at: brow))")
    }

    @Test func aPhotosShadowTurnsAsTheTargetsSkinDoesNotGrey() {
        // The target's skin has fine creases (a 16-pixel pattern, to 30 % darker) that are warmer the darker they
        // are, as skin in shadow is; the photo has a shadow beside its nose (σ 1.5 % of the face width). The shadow
        // takes the target's chroma, and with it the target's turn: redder than the lit skin, not the lit skin's
        // colour at a lower luma (grey).
        let (_, left) = Self.interiorPoints
        let crease: (Int, Int) -> Float = { x, y in
            let s = sin(2 * Float.pi * Float(x) / 16) * sin(2 * Float.pi * Float(y) / 16)
            return 0.7 + 0.3 * (1 - s * s)
        }
        let warmer: (Int, Int) -> SIMD3<Float> = { x, y in
            let dark = 1 - crease(x, y)  // 0…0.3
            return SIMD3(1 + 0.4 * dark, 1, 1 - 0.4 * dark)
        }
        let shadow: (Int, Int) -> Float = { Self.bump($0, $1, at: left, depth: -0.4, sigma: 0.015 * Self.faceWidth) }
        let beside = left + SIMD2(0, 0.12 * Self.faceWidth)
        func warmth(_ relighting: Relighting) -> Float {
            let face = Self.relit(relighting, targetFactor: crease, faceFactor: shadow, targetTint: warmer)
            func redness(_ p: SIMD2<Float>) -> Float {
                // Mean R ÷ B over a 5 × 5 patch (the target's creases come through the fine shading a little).
                var r: Float = 0, b: Float = 0
                for dy in -2...2 {
                    for dx in -2...2 {
                        let q = face[Int(p.x.rounded()) + dx, Int(p.y.rounded()) + dy]
                        r += Float(q.r); b += Float(q.b)
                    }
                }
                return r / max(b, 1)
            }
            return redness(left) / redness(beside)
        }
        // Untoned, so the whole shadow turns (toning lifts it, and its turn with it).
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        var grey = untoned
        grey.shadowTint = 0
        let (without, with) = (warmth(grey), warmth(untoned))
        #expect(abs(without - 1) < 0.03, "without the tint the shadow is the lit skin's colour: \(without)")
        // About +6 % (the target's slope, shrunk a little for its small detail, on the patch's mean darkening).
        #expect(with > without + 0.035, "the shadow's R ÷ B over the lit skin's: \(with) (without the tint \(without))")
    }

    /// How much of a hollow of the target's (σ 5 % of the face width) at `point` the relit face prints, with
    /// `relighting` and with the fine shading alone.
    static func printedHollow(at point: SIMD2<Float>, _ relighting: Relighting) -> (printed: Float, fineOnly: Float) {
        let sigma = 0.05 * Self.faceWidth
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        let hollow: (Int, Int) -> Float = { Self.bump($0, $1, at: point, depth: -0.3, sigma: sigma) }
        func printed(_ relighting: Relighting) -> Float {
            Self.share(Self.relit(relighting, targetFactor: hollow, faceFactor: flat),
                       Self.relit(relighting, targetFactor: flat, faceFactor: flat), at: point, depth: -0.3)
        }
        var fineOnly = relighting
        fineOnly.interiorScale = 0
        return (printed(relighting), printed(fineOnly))
    }

    @Test func theCheeksBorderTakesTheTargetsLightNotItsFaceShape() {
        // A hollow just inside the face's widest point (a cheekbone's shadow: the target's face shape, at the depth
        // where `facelive score` compares the new skin with the skin around it). The band follows the target's
        // brightness averaged along the border, so a local hollow mostly goes; the make-up falloff of
        // `shadingHoldsUpToTheBorderOfTheFace`, the same all along the side, stays.
        let side = Self.oval.min { $0.x < $1.x }! + SIMD2(0.07 * Self.faceWidth, 0)
        let smoothed = Self.printedHollow(at: side, Relighting(strength: 1))
        #expect(smoothed.fineOnly > 0.5, "fine only: the target's hollow printed \(smoothed.fineOnly)")
        #expect(smoothed.printed < 0.6 * smoothed.fineOnly, "the target's hollow printed \(smoothed.printed)")
        // Without the averaging the band is the fine shading's, as the zones alone made it.
        var unsmoothed = Relighting(strength: 1)
        unsmoothed.borderSmoothing = 0
        let fine = Self.printedHollow(at: side, unsmoothed)
        #expect(abs(fine.printed - fine.fineOnly) < 0.05, "unsmoothed \(fine.printed), fine only \(fine.fineOnly)")
    }

    @Test func theForeheadsBorderKeepsTheTargetsFineShading() {
        // The cut crosses the forehead's skin, where any step would show: a hollow just below the top of the swap
        // prints as with the fine shading alone.
        let top = Self.oval.min { $0.y < $1.y }! + SIMD2(0, 0.07 * Self.faceWidth)
        let forehead = Self.printedHollow(at: top, Relighting(strength: 1))
        #expect(forehead.printed > 0.5 && abs(forehead.printed - forehead.fineOnly) < 0.05,
                "the target's hollow printed \(forehead.printed), fine only \(forehead.fineOnly)")
    }

    @Test func theZoneMapIsFineAtTheBorderAndLipsCoarseInsideAndSmooth() {
        let step = Float(Relighting.step)
        let (lw, lh) = (320 / Relighting.step, 340 / Relighting.step)
        var weight = PolygonRasterizer.fill(Self.oval.map { ($0 + 0.5) / step - 0.5 }, width: lw, height: lh)
        weight.gaussianBlur(sigma: 0.035 * Self.faceWidth / step)
        // The fine shading's share from the zones alone: 1 at the border and the lips, 0 inside.
        let zones = Relighting(strength: 1).zones(
            weight: weight, mouth: FaceMeshTopology.outerLips.map { (Self.points[$0] + 0.5) / step - 0.5 },
            faceWidth: Self.faceWidth / step)
        let fine = zones.interior.indices.map { 1 - zones.interior[$0] * (1 - zones.lips[$0]) }
        func at(_ p: SIMD2<Float>) -> Float { fine[Int(p.y / step) * lw + Int(p.x / step)] }
        let (right, left) = Self.interiorPoints
        for p in [right, left, Self.points[FaceMeshTopology.noseTip]] { #expect(at(p) < 0.05, "inside at \(p): \(at(p))") }
        let lips = FaceMeshTopology.outerLips.map { Self.points[$0] }.reduce(.zero, +) / Float(FaceMeshTopology.outerLips.count)
        let lipFoot = Self.points[17] + SIMD2(0, 0.02 * Self.faceWidth)
        #expect(at(lipFoot) > 0.75, "just below the lips: \(at(lipFoot))")
        for p in [lips, Self.oval.min { $0.x < $1.x }! + SIMD2(0.04 * Self.faceWidth, 0)] {
            #expect(at(p) > 0.95, "fine at \(p): \(at(p))")
        }
        // No step: the two shadings meet over several cells (here a cell is 2.4 % of the face width; a hard edge
        // would change by 1 from one cell to the next).
        var jump: Float = 0
        for y in 0..<(lh - 1) {
            for x in 0..<(lw - 1) {
                let c = y * lw + x
                jump = max(jump, abs(fine[c + 1] - fine[c]), abs(fine[c + lw] - fine[c]))
            }
        }
        let perPercent = jump / (step / Self.faceWidth * 100)
        #expect(perPercent < 0.3, "largest change per 1 % of the face width \(perPercent)")
    }
}

/// A photo lit harder than the scene: its skin's detail is toned down to the target's.
extension RelightingTests {
    @Test func aHardLitPhotosShadowsAreTonedDownToTheScenes() {
        // Small deep shadows (σ 2 % of the face width, 60 % darker: under a nose, a lip, in a dimple) on the photo,
        // a flat target: the shadows keep less than their full depth, a photo without them is unchanged.
        let sigma = 0.02 * Self.faceWidth
        let (right, left) = Self.interiorPoints
        let shadows: (Int, Int) -> Float = { x, y in
            Self.bump(x, y, at: right, depth: -0.6, sigma: sigma) * Self.bump(x, y, at: left, depth: -0.6, sigma: sigma)
        }
        func kept(_ relighting: Relighting, fromOtherLight: Bool = true) -> Float {
            Self.kept(relighting, shadows: shadows, at: right, depth: -0.6, fromOtherLight: fromOtherLight)
        }
        var asItWas = Relighting(strength: 1)
        asItWas.minimumContrast = 1
        asItWas.minimumSkinContrast = 1
        let full = kept(asItWas), toned = kept(Relighting(strength: 1))
        #expect(full > 0.9, "without toning the shadow keeps \(full)")
        #expect(toned < 0.75 * full, "toned down, the shadow keeps \(toned) (\(full) without)")
        // A face not taken under other light (a trained decoder's) is left as it is.
        let decoded = kept(Relighting(strength: 1), fromOtherLight: false)
        #expect(abs(decoded - full) < 0.01, "a decoder's face keeps \(decoded), \(full) untoned")
        // The same darkness on a brow is a feature: toned less than the skin's shadows, never below its floor.
        let brow = FaceMeshTopology.rightEyebrowRing.map { Self.points[$0] }.reduce(.zero, +)
            / Float(FaceMeshTopology.rightEyebrowRing.count)
        let dark: (Int, Int) -> Float = { Self.bump($0, $1, at: brow, depth: -0.6, sigma: sigma) }
        let browKept = Self.kept(Relighting(strength: 1), shadows: dark, at: brow, depth: -0.6)
        #expect(browKept > toned + 0.1, "a brow keeps \(browKept), the skin's shadow \(toned)")
    }

    @Test func aDeepSocketShadowIsTonedDownToItsDarkestSpot() {
        // A top-lit photo's socket in shadow over its whole brow-to-eye hull (at half its skin's brightness or less,
        // which the shading estimate leaves out like a feature), with a darker spot in it (σ 1.5 % of the face
        // width, 55 % darker): the spot is toned like the shadow round it, not kept as a dark blot
        // (portrait_s2 under a brow on talk_woman_d10). A lighter shadow, which keeps a shading, was toned before.
        let brow = FaceMeshTopology.rightEyebrowRing.map { Self.points[$0] }
        let eye = FaceMeshTopology.rightEye.map { Self.points[$0] }
        let socket = (brow.reduce(.zero, +) / Float(brow.count) + Self.points[FaceMeshTopology.rightEye[12]]) / 2
        var hull = PolygonRasterizer.fill(ConvexHull.of(brow + eye), width: 320, height: 340)
        hull.erode(pixels: -6)
        hull.gaussianBlur(sigma: 3)
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        let flat: (Int, Int) -> Float = { _, _ in 1 }
        for depth: Float in [0.3, 0.5, 0.7] {
            let shadow: (Int, Int) -> Float = { x, y in 1 - depth * min(hull[x, y], 1) }
            let spot: (Int, Int) -> Float = { x, y in
                shadow(x, y) * Self.bump(x, y, at: socket, depth: -0.55, sigma: 0.015 * Self.faceWidth)
            }
            let with = Self.relit(untoned, targetFactor: flat, faceFactor: spot, socketShadow: 1)
            let without = Self.relit(untoned, targetFactor: flat, faceFactor: shadow, socketShadow: 1)
            let kept = Self.share(with, without, at: socket, depth: -0.55)
            #expect(kept < 0.3, "a shadow \(depth) deep keeps \(kept) of the spot in it")
        }
    }

    @Test func aPhotosShadowedEyeSocketsTakeTheScenesLightItsCheeksKeepTheirModelling() {
        // A hard light's shadow under the brow (σ 3 % of the face width, 55 % darker) and the same shadow on a
        // cheek, on a photo whose detail is otherwise kept (both floors at 1), over a flat target: with the photo's
        // sockets in shadow the socket keeps little of its shadow, the cheek all of it, and the brow above stays as
        // dark as it was; with them lit (socket shadow 0) nothing changes.
        let sigma = 0.03 * Self.faceWidth
        let ring = FaceMeshTopology.rightEyebrowRing.map { Self.points[$0] }
        let brow = ring.reduce(.zero, +) / Float(ring.count)
        let socket = (brow + Self.points[FaceMeshTopology.rightEye[12]]) / 2
        let cheek = Self.points[FaceMeshTopology.leftCheek] * 0.6 + Self.points[1] * 0.4
        let shadows: (Int, Int) -> Float = { x, y in
            Self.bump(x, y, at: socket, depth: -0.55, sigma: sigma) * Self.bump(x, y, at: cheek, depth: -0.55, sigma: sigma)
        }
        func kept(_ relighting: Relighting, at point: SIMD2<Float>, socketShadow: Float = 1,
                  socketStretch: Float = 0) -> Float {
            Self.kept(relighting, shadows: shadows, at: point, depth: -0.55, socketShadow: socketShadow,
                      socketStretch: socketStretch)
        }
        var untoned = Relighting(strength: 1)
        untoned.minimumContrast = 1
        untoned.minimumSkinContrast = 1
        var ownSockets = untoned
        ownSockets.socketContrast = 1
        let before = kept(ownSockets, at: socket), after = kept(untoned, at: socket)
        #expect(before > 0.75, "with socketContrast 1 the socket's shadow keeps \(before)")
        #expect(after < 0.4 * before, "the socket's shadow keeps \(after) (\(before) as it was)")
        let lit = kept(untoned, at: socket, socketShadow: 0)
        #expect(abs(lit - before) < 0.02, "sockets not in shadow keep \(lit) (\(before) as it was)")
        let half = kept(untoned, at: socket, socketShadow: 0.5)
        #expect(half < before - 0.1 && half > after + 0.1, "half in shadow: \(half), between \(after) and \(before)")
        // Stretched over a target's taller sockets, what the power left goes too; with the sockets lit, nothing.
        let stretched = kept(untoned, at: socket, socketStretch: 1)
        #expect(stretched < 0.25 * after, "stretched sockets keep \(stretched) of the shadow (\(after) unstretched)")
        let litStretched = kept(untoned, at: socket, socketShadow: 0, socketStretch: 1)
        #expect(abs(litStretched - before) < 0.02, "lit sockets, stretched, keep \(litStretched) (\(before) as it was)")
        let cheekKept = kept(untoned, at: cheek)
        #expect(abs(cheekKept - kept(ownSockets, at: cheek)) < 0.02 && cheekKept > 0.75, "the cheek keeps \(cheekKept)")
        let cheekStretched = kept(untoned, at: cheek, socketStretch: 1)
        #expect(abs(cheekStretched - cheekKept) < 0.02, "stretched sockets leave the cheek at \(cheekStretched)")
        // The brow is a feature, not the socket's skin: a dark brow keeps its darkness.
        let dark: (Int, Int) -> Float = { Self.bump($0, $1, at: brow, depth: -0.55, sigma: 0.5 * sigma) }
        let browKept = Self.kept(untoned, shadows: dark, at: brow, depth: -0.55, socketShadow: 1)
        #expect(browKept > 0.75, "the brow keeps \(browKept)")
    }

    @Test func aPhotosBrightPatchUnderTheFeatherFadesIntoTheTargetsShading() {
        // What lies just inside a photo's outline may not be its face (the shipped photo's ear and the wall beside
        // it): under the blend's feather its detail fades out; inside the face it is whole.
        let sigma = 0.012 * Self.faceWidth
        let nose = Self.points[FaceMeshTopology.noseTip], cheek = Self.points[FaceMeshTopology.leftCheek]
        let edge = cheek + 0.035 * (nose - cheek), inner = cheek + 0.45 * (nose - cheek)
        let bright: (Int, Int) -> Float = { x, y in
            Self.bump(x, y, at: edge, depth: 0.25, sigma: sigma) * Self.bump(x, y, at: inner, depth: 0.25, sigma: sigma)
        }
        // Its detail not toned for the photo's contrast, so only the edge's fade acts.
        var relighting = Relighting(strength: 1)
        (relighting.minimumContrast, relighting.minimumSkinContrast) = (1, 1)
        var whole = relighting
        whole.edgeDetail = 0...0
        let faded = Self.keptUnderFeather(relighting, shadows: bright, at: edge, depth: 0.25)
        let kept = Self.keptUnderFeather(whole, shadows: bright, at: edge, depth: 0.25)
        #expect(faded < 0.5 && kept > 0.8, "the patch under the feather keeps \(faded) (\(kept) with no fade)")
        let inside = Self.keptUnderFeather(relighting, shadows: bright, at: inner, depth: 0.25)
        let insideWhole = Self.keptUnderFeather(whole, shadows: bright, at: inner, depth: 0.25)
        #expect(abs(inside - insideWhole) < 0.02 && inside > 0.6, "inside the face it keeps \(inside) (\(insideWhole))")
    }

    @Test func aHardLitPhotosDeepShadowOnItsSkinIsTonedItsMouthsIsNot() {
        // A broad shadow too dark to count as the photo's skin (0.2 of it, σ 12 % of the face width) has no shading
        // of its own at its core: on the cheek it takes the shading round it and is toned like the photo's light;
        // beside the mouth it stays as it was.
        let sigma = 0.12 * Self.faceWidth
        let cheek = Self.points[FaceMeshTopology.leftCheek] * 0.55 + Self.points[FaceMeshTopology.noseTip] * 0.45
        // Beside the mouth's corner, past the lips' own kept contrast (``Relighting/lipContrastReach``).
        let lips = FaceMeshTopology.outerLips.map { Self.points[$0] }.reduce(.zero, +) / Float(FaceMeshTopology.outerLips.count)
        let out = Self.points[FaceMeshTopology.mouthLeft] - lips
        let corner = Self.points[FaceMeshTopology.mouthLeft] + out / (out * out).sum().squareRoot() * (0.03 * Self.faceWidth)
        let shadows: (Int, Int) -> Float = { x, y in
            Self.bump(x, y, at: cheek, depth: -0.8, sigma: sigma) * Self.bump(x, y, at: corner, depth: -0.8, sigma: sigma)
        }
        let filled = Relighting(strength: 1)
        var socketsOnly = filled
        socketsOnly.shadowFillMouthReach = -1
        func kept(_ relighting: Relighting, at point: SIMD2<Float>) -> Float {
            Self.kept(relighting, shadows: shadows, at: point, depth: -0.8)
        }
        let toned = kept(filled, at: cheek), untoned = kept(socketsOnly, at: cheek)
        #expect(toned < 0.5 && untoned > 0.8, "the cheek's shadow keeps \(toned) of its darkness (\(untoned) unfilled)")
        let mouth = kept(filled, at: corner), mouthUnfilled = kept(socketsOnly, at: corner)
        #expect(abs(mouth - mouthUnfilled) < 0.02, "beside the mouth: \(mouth) (\(mouthUnfilled) unfilled)")
    }

    @Test func aPhotosMoustacheKeepsItsFeaturesContrastItsShadowsAreToned() {
        // A photo lit harder than the flat target: its skin's detail is toned to the skin's floor, its features' to
        // theirs. A moustache (dark hair between nose and upper lip) is a feature when the photo wears one; a shadow
        // on the cheek stays skin either way.
        let sigma = 0.02 * Self.faceWidth
        let moustache = (Self.points[2] + Self.points[0]) / 2
        let cheek = Self.points[FaceMeshTopology.leftCheek] * 0.6 + Self.points[1] * 0.4
        let dark: (Int, Int) -> Float = { x, y in
            Self.bump(x, y, at: moustache, depth: -0.7, sigma: sigma) * Self.bump(x, y, at: cheek, depth: -0.7, sigma: sigma)
        }
        let relighting = Relighting(strength: 1)
        func kept(at point: SIMD2<Float>, moustache share: Float, _ relighting: Relighting = relighting) -> Float {
            Self.kept(relighting, shadows: dark, at: point, depth: -0.7, moustache: share)
        }
        let hair = kept(at: moustache, moustache: 1), shadow = kept(at: moustache, moustache: 0)
        #expect(shadow < 0.3, "without a moustache the dark patch over the lip keeps \(shadow) (toned as skin)")
        #expect(hair > shadow + 0.2, "a moustache keeps \(hair) of its darkness (\(shadow) toned as skin)")
        var noZone = relighting
        noZone.moustacheMargin = 0
        let off = kept(at: moustache, moustache: 1, noZone)
        #expect(abs(off - shadow) < 0.02, "moustacheMargin 0 tones it as skin: \(off) (\(shadow))")
        let cheekHair = kept(at: cheek, moustache: 1), cheekBare = kept(at: cheek, moustache: 0)
        #expect(abs(cheekHair - cheekBare) < 0.02 && cheekBare < 0.3, "the cheek's shadow keeps \(cheekHair), \(cheekBare)")
    }
}
