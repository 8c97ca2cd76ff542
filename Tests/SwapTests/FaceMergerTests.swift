import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

@Suite struct FaceMergerTests {
    static let landmarks = TestFaces.landmarks(center: SIMD2(320, 230), scale: 9, rotation: 0.2)
    static let frame = TestImages.texture(width: 640, height: 480)

    /// A flat-coloured swap in aligned space.
    static func flatSwap(_ colour: (UInt8, UInt8, UInt8)) throws -> SwappedFace {
        let aligned = try FaceAligner().align(frame, landmarks: landmarks)
        var image = RGBImage(width: aligned.resolution, height: aligned.resolution)
        for y in 0..<image.height { for x in 0..<image.width { image[x, y] = (colour.0, colour.1, colour.2) } }
        return SwappedFace(image: image, mask: nil, toFrame: aligned.alignedToImage)
    }

    static let oval = FaceMeshTopology.faceOval.map { landmarks.points2D[$0] }

    /// Signed distance to the face oval (negative inside).
    static func distanceOutsideOval(_ p: SIMD2<Float>) -> Float {
        var best = Float.infinity
        for i in oval.indices {
            let a = oval[i], b = oval[(i + 1) % oval.count]
            let t = max(0, min(1, ((p - a) * (b - a)).sum() / ((b - a) * (b - a)).sum()))
            best = min(best, simd_distance(p, a + t * (b - a)))
        }
        return Polygon.contains(oval, p) ? -best : best
    }

    /// Options with no colour matching, so the swap's own colour shows where it is blended.
    static func plainOptions(blend: BlendMode = .alpha) -> FaceMerger.Options {
        var options = FaceMerger.Options()
        options.colorTransfer = .none
        options.relighting.strength = 0
        options.blend = blend
        // The frame is a texture, not a face: much of it is unlike the "cheeks" and would be kept as hair.
        options.keepHair = .off
        return options
    }

    /// The frame with a flat red frame-space swap (as the mesh swap's) merged over the face at `landmarks`.
    static func mergedFlatFrameSpaceSwap(_ options: FaceMerger.Options, landmarks: FaceLandmarks) -> RGBImage {
        let swap = SwappedFace.flat((250, 10, 10), like: frame)
        var out = frame
        FaceMerger(options: options).merge(swap, landmarks: landmarks, into: &out)
        return out
    }

    /// `landmarks` with the lower lip and jaw moved down by `pixels` (an open mouth).
    static func openingTheMouth(_ landmarks: FaceLandmarks, by pixels: Float) -> FaceLandmarks {
        var open = landmarks
        let chinSide = CanonicalFace.points3D.indices.filter { CanonicalFace.points3D[$0].y < CanonicalFace.points3D[14].y + 0.05 }
        for i in chinSide { open.points[i].y += pixels }
        return open
    }

    /// A flat red swap merged with `blend` (no colour matching): frame pixels changed past the feather's reach,
    /// pixels deeper inside the oval than the reach plus `erode` (frame pixels), and how many of those `flag` picks.
    static func redSwapCensus(blend: BlendMode, erode: Bool, flag: ((r: UInt8, g: UInt8, b: UInt8)) -> Bool) throws
        -> (changedOutside: Int, inside: Int, flagged: Int) {
        let options = Self.plainOptions(blend: blend)
        var out = Self.frame
        let swap = try Self.flatSwap((250, 10, 10))
        FaceMerger(options: options).merge(swap, landmarks: Self.landmarks, into: &out)
        // Feather reach in frame pixels: blur 3σ plus a pixel, scaled from aligned to frame pixels.
        let reach = (3 * options.blurSigma + 2) * swap.toFrame.scale
        let depth = reach + (erode ? Float(options.erodePixels) * swap.toFrame.scale : 0)
        var changedOutside = 0, flagged = 0, inside = 0
        let box = BoundingBox(bounding: Self.oval)
        for y in 0..<out.height {
            for x in 0..<out.width {
                let p = SIMD2(Float(x), Float(y))
                // Far from the oval's box nothing may change; near it, measure the distance to the oval.
                let far = p.x < box.x - reach - 1 || p.y < box.y - reach - 1 || p.x > box.x + box.width + reach + 1
                    || p.y > box.y + box.height + reach + 1
                let d = far ? reach + 1 : Self.distanceOutsideOval(p)
                if d > reach && out[x, y] != Self.frame[x, y] { changedOutside += 1 }
                if d < -depth {
                    inside += 1
                    if flag(out[x, y]) { flagged += 1 }
                }
            }
        }
        return (changedOutside, inside, flagged)
    }

    @Test func touchesOnlyTheMaskedFace() throws {
        let census = try Self.redSwapCensus(blend: .alpha, erode: true) { $0.r < 248 || $0.g > 12 }
        #expect(census.changedOutside == 0)
        #expect(census.inside > 5000 && census.flagged == 0, "\(census.flagged) pixels inside are not the face's")
    }

    @Test func aGradientDomainBlendTouchesOnlyTheMaskAndTakesTheFramesLevel() throws {
        // A flat red face has no gradients of its own: blended in the gradient domain it takes the frame's level
        // from the mask's border (the red goes), and nothing past the feather's reach changes.
        let census = try Self.redSwapCensus(blend: .poisson, erode: false) { $0.r > 200 && $0.g < 60 }
        #expect(census.changedOutside == 0)
        #expect(census.inside > 5000 && census.flagged == 0, "\(census.flagged) pixels inside are the flat face's red")
    }

    /// Kept eyes cover the opening and the upper lash band (where a target's lashes and eyeliner are, and where a
    /// photo's own lash line would land); the lid above the crease is the swap's.
    @Test func keptEyesCoverTheUpperLashes() throws {
        var options = Self.plainOptions()
        options.keepOriginalEyes = true
        // A large face and a frame-space swap (as the mesh swap's), so the lash band is several mask pixels.
        let face = TestFaces.landmarks(center: SIMD2(320, 240), scale: 24)
        let out = Self.mergedFlatFrameSpaceSwap(options, landmarks: face)
        let points = face.points2D
        for (ring, crease) in [(FaceMeshTopology.rightEye, FaceMeshTopology.rightEyeUpperCrease),
                               (FaceMeshTopology.leftEye, FaceMeshTopology.leftEyeUpperCrease)] {
            let (up, down, fold) = (points[ring[12]], points[ring[4]], points[crease[3]])
            for kept in [(up + down) / 2, up + 0.3 * (fold - up)] {
                let (p, q) = (out[Int(kept.x.rounded()), Int(kept.y.rounded())], Self.frame[Int(kept.x.rounded()), Int(kept.y.rounded())])
                #expect(abs(Int(p.r) - Int(q.r)) <= 3 && abs(Int(p.g) - Int(q.g)) <= 3, "kept eye at \(kept): \(p) vs \(q)")
            }
            let lid = up + 1.8 * (fold - up)
            let p = out[Int(lid.x.rounded()), Int(lid.y.rounded())]
            #expect(p.r > 240 && p.g < 20, "lid above the crease at \(lid) is \(p)")
        }
    }

    /// A shut eye's kept band (the target's closed lid) fades into the new lid over more of it than an open eye's,
    /// and still keeps the lids' line (the closed lashes).
    @Test func aShutEyesKeptLidFadesOutWide() throws {
        var face = TestFaces.landmarks(center: SIMD2(320, 240), scale: 24)
        // Shut: each upper lid point (ring 15 … 9, outer to inner) onto the lower one facing it (1 … 7).
        for ring in [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye] {
            for k in 1...7 { face.points[ring[16 - k]] = face.points[ring[k]] }
        }
        /// How much of the target shows at `p` (0 = the swap's red, 1 = the frame), from green and blue.
        func kept(_ out: RGBImage, _ p: SIMD2<Float>) -> Float {
            let (x, y) = (Int(p.x.rounded()), Int(p.y.rounded()))
            let (o, f) = (out[x, y], Self.frame[x, y])
            return ((Float(o.g) - 10) / (Float(f.g) - 10) + (Float(o.b) - 10) / (Float(f.b) - 10)) / 2
        }
        var options = Self.plainOptions()
        options.keepOriginalEyes = true
        let wide = Self.mergedFlatFrameSpaceSwap(options, landmarks: face)
        options.keptClosedEyeFeather = 0
        let narrow = Self.mergedFlatFrameSpaceSwap(options, landmarks: face)
        let points = face.points2D
        for (ring, crease) in [(FaceMeshTopology.rightEye, FaceMeshTopology.rightEyeUpperCrease),
                               (FaceMeshTopology.leftEye, FaceMeshTopology.leftEyeUpperCrease)] {
            let (line, fold) = (points[ring[12]], points[crease[3]])
            let past = line + 1.3 * (fold - line)
            #expect(kept(wide, past) > 0.1 && kept(narrow, past) < 0.03,
                    "past the band: \(kept(wide, past)) fading wide, \(kept(narrow, past)) narrow")
            #expect(kept(wide, line) > 0.8, "the lids' line: \(kept(wide, line))")
        }
    }

    /// A kept mouth keeps the target's inner lip margin with it (3 frame pixels out from the inner lip line, in a
    /// frame-space swap), where a landmarker reads the opening; 8 pixels out the lips are the swap's.
    @Test func aKeptMouthKeepsTheTargetsInnerLipMargin() throws {
        var options = Self.plainOptions()
        options.keepOriginalMouth = true
        let face = Self.openingTheMouth(TestFaces.landmarks(center: SIMD2(320, 240), scale: 24), by: 20)
        let out = Self.mergedFlatFrameSpaceSwap(options, landmarks: face)
        let points = face.points2D
        // Straight up from the upper inner lip's centre and down from the lower one's.
        for (lip, away) in [(points[FaceMeshTopology.upperInnerLip], SIMD2<Float>(0, -1)),
                            (points[FaceMeshTopology.lowerInnerLip], SIMD2<Float>(0, 1))] {
            let margin = lip + 3 * away, lipBody = lip + 8 * away
            let (p, q) = (out[Int(margin.x.rounded()), Int(margin.y.rounded())], Self.frame[Int(margin.x.rounded()), Int(margin.y.rounded())])
            #expect(abs(Int(p.r) - Int(q.r)) <= 40 && abs(Int(p.g) - Int(q.g)) <= 40, "margin at \(margin): \(p) vs the target's \(q)")
            let b = out[Int(lipBody.x.rounded()), Int(lipBody.y.rounded())]
            #expect(b.r > 240 && b.g < 20, "lip body at \(lipBody) is \(b)")
        }
    }

    /// The kept-corner tests' case: a kept mouth, a face opening its mouth, its corners and mouth width, and the
    /// target as even skin (the corners' darkness is judged against the skin round the lips).
    static func keptCornerCase(scale: Float = 24) -> (options: FaceMerger.Options, face: FaceLandmarks,
                                                      corners: [SIMD2<Float>], mouthWidth: Float, frame: RGBImage) {
        var options = plainOptions()
        options.keepOriginalMouth = true
        let face = openingTheMouth(TestFaces.landmarks(center: SIMD2(320, 240), scale: scale), by: scale / 3)
        let corners = [face.points2D[FaceMeshTopology.mouthRight], face.points2D[FaceMeshTopology.mouthLeft]]
        return (options, face, corners, simd_distance(corners[0], corners[1]),
                SwappedFace.flat((180, 130, 110), like: Self.frame).image)
    }

    /// A kept mouth keeps the target's corners, not a photo's dark creases there (portrait_s2's top light: dark dots
    /// at the corners) — unless a moustache grows over the new lips, whose ends stay the swap's. Corners no darker
    /// than the target's stay the swap's.
    @Test func aKeptMouthKeepsTheTargetsCornersUnlessAMoustacheGrowsThere() throws {
        let (options, face, corners, mouthWidth, frame) = Self.keptCornerCase()
        let upperLip = FaceMeshTopology.outerLips[11...].map { face.points2D[$0] }
        /// Skin with a dark crease at each corner (with `creases`), and with `moustache` a dark band over the upper lip.
        func swap(moustache: Bool, creases: Bool = true) -> SwappedFace {
            var swap = SwappedFace.flat((200, 150, 130), like: Self.frame)
            for y in 0..<swap.image.height {
                for x in 0..<swap.image.width {
                    let p = SIMD2(Float(x), Float(y))
                    let crease = creases && corners.contains { simd_distance($0, p) < 0.06 * mouthWidth }
                    let hair = moustache && upperLip.contains { q in p.y < q.y && p.y > q.y - 0.12 * mouthWidth
                        && abs(p.x - q.x) < 0.1 * mouthWidth }
                    if crease || hair { swap.image[x, y] = (40, 30, 25) }
                }
            }
            return swap
        }
        for moustache in [false, true] {
            var out = frame
            FaceMerger(options: options).merge(swap(moustache: moustache), landmarks: face, into: &out)
            for c in corners {
                let (x, y) = (Int(c.x.rounded()), Int(c.y.rounded()))
                let (p, target) = (out[x, y], frame[x, y])
                if moustache {
                    #expect(p.r < 80, "with a moustache the corner at \(c) is the swap's: \(p)")
                } else {
                    #expect(abs(Int(p.r) - Int(target.r)) <= 12 && abs(Int(p.g) - Int(target.g)) <= 12,
                            "the corner at \(c) is \(p), the target's \(target)")
                }
            }
        }
        var out = frame
        FaceMerger(options: options).merge(swap(moustache: false, creases: false), landmarks: face, into: &out)
        for c in corners {
            let p = out[Int(c.x.rounded()), Int(c.y.rounded())]
            #expect(p.r == 200 && p.g == 150 && p.b == 130, "corners no darker than the target's are the swap's: \(p)")
        }
    }

    /// The dark point where a photo's lips meet lies a little off the target's corner (portrait_s1: up and in by
    /// 5–6 % of the mouth's width), out of reach of a small disc, and fills a small part of a larger one: it is
    /// the target's too.
    @Test func aKeptMouthKeepsTheTargetWhereThePhotosLipsMeetOffTheCorner() throws {
        let (options, face, corners, mouthWidth, frame) = Self.keptCornerCase()
        let middle = (corners[0] + corners[1]) / 2
        // Up and in by 5 % of the mouth's width each way.
        let dots = corners.map { c in
            c + 0.05 * mouthWidth * ((middle - c) / simd_distance(middle, c) - SIMD2(0, 1))
        }
        Self.expectTheTargets(darkPoints: dots, radius: 0.06 * mouthWidth, colour: (50, 35, 30), options: options,
                              face: face, frame: frame)
    }

    /// A dark point 4 % of the mouth's width across right at a corner (portrait_s2's commissure on talk_studio_1:
    /// two or three pixels) is under 2 % of the corner's disc, short of its darker tenth, but fills a small disc's:
    /// it is the target's.
    @Test func aKeptMouthKeepsTheTargetWhereADarkPointSitsAtTheCorner() throws {
        let (options, face, corners, mouthWidth, frame) = Self.keptCornerCase()
        // Just below each corner, as the photo's commissure landed.
        let dots = corners.map { $0 + SIMD2(0, 0.03 * mouthWidth) }
        Self.expectTheTargets(darkPoints: dots, radius: 0.02 * mouthWidth, colour: (40, 30, 25), options: options,
                              face: face, frame: frame)
    }

    /// A photo's shadow under its lower lip lands as a dark line a little under the target's lower lip
    /// (portrait_s12): a kept mouth keeps the target's lip edge there. A dark line further down (a chin crease),
    /// or no line at all, stays the swap's.
    @Test func aKeptMouthKeepsTheTargetsLowerLipEdgeUnderAPhotosShadowLine() throws {
        let (options, face, corners, mouthWidth, frame) = Self.keptCornerCase(scale: 32)
        let ring = FaceMeshTopology.outerLips[0...(FaceMeshTopology.outerLips.count / 2)].map { face.points2D[$0] }
        // The lower lip's edge, densely sampled.
        var edge: [SIMD2<Float>] = []
        for (a, b) in zip(ring, ring.dropFirst()) {
            for k in 0..<20 { edge.append(a + (b - a) * (Float(k) / 20)) }
        }
        let bottom = face.points2D[FaceMeshTopology.lowerLipBottom]
        /// Even skin with a dark line `from`…`to` (shares of the mouth's width) under the lower lip.
        func swap(lineFrom from: Float, to: Float) -> SwappedFace {
            var swap = SwappedFace.flat((200, 150, 130), like: Self.frame)
            for y in 0..<swap.image.height {
                for x in 0..<swap.image.width {
                    let p = SIMD2(Float(x), Float(y))
                    guard p.y > bottom.y - 0.2 * mouthWidth, abs(p.x - bottom.x) < 0.3 * mouthWidth,
                          !corners.contains(where: { simd_distance($0, p) < 0.3 * mouthWidth }) else { continue }
                    let nearest = edge.min { simd_distance($0, p) < simd_distance($1, p) }!
                    let d = simd_distance(nearest, p) / mouthWidth
                    if d >= from, d <= to, p.y > nearest.y {
                        swap.image[x, y] = (40, 30, 25)
                    }
                }
            }
            return swap
        }
        func merged(_ swap: SwappedFace) -> RGBImage {
            var out = frame
            FaceMerger(options: options).merge(swap, landmarks: face, into: &out)
            return out
        }
        let line = bottom + SIMD2(0, 0.03 * mouthWidth)
        let (x, y) = (Int(line.x.rounded()), Int(line.y.rounded()))
        // The band's feathered edge lets a little of the line through: at most a fifth of its step.
        let shadowed = merged(swap(lineFrom: 0.01, to: 0.05))[x, y]
        #expect(Int(frame[x, y].r) - Int(shadowed.r) <= (Int(frame[x, y].r) - 40) / 5,
                "under the lower lip: \(shadowed), the target's \(frame[x, y])")
        let crease = bottom + SIMD2(0, 0.16 * mouthWidth)
        let (cx, cy) = (Int(crease.x.rounded()), Int(crease.y.rounded()))
        #expect(merged(swap(lineFrom: 0.14, to: 0.18))[cx, cy].r < 80, "a crease further down stays the swap's")
        let bare = merged(swap(lineFrom: 1, to: 1))[x, y]
        #expect(bare.r == 200 && bare.g == 150 && bare.b == 130, "an even edge stays the swap's: \(bare)")
    }

    /// Merges a swap of even skin with dark points of `radius` at `dots` (the kept-corner case) and expects the
    /// target's colour at each point's centre.
    static func expectTheTargets(darkPoints dots: [SIMD2<Float>], radius: Float, colour: (UInt8, UInt8, UInt8),
                                 options: FaceMerger.Options, face: FaceLandmarks, frame: RGBImage,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        var swap = SwappedFace.flat((200, 150, 130), like: Self.frame)
        for y in 0..<swap.image.height {
            for x in 0..<swap.image.width {
                let p = SIMD2(Float(x), Float(y))
                if dots.contains(where: { simd_distance($0, p) < radius }) { swap.image[x, y] = colour }
            }
        }
        var out = frame
        FaceMerger(options: options).merge(swap, landmarks: face, into: &out)
        for d in dots {
            let (x, y) = (Int(d.x.rounded()), Int(d.y.rounded()))
            let (p, target) = (out[x, y], frame[x, y])
            #expect(abs(Int(p.r) - Int(target.r)) <= 12 && abs(Int(p.g) - Int(target.g)) <= 12,
                    "the dark point at \(d) is \(p), the target's \(target)", sourceLocation: sourceLocation)
        }
    }

    @Test func opacityAndOriginalMouth() throws {
        let open = Self.openingTheMouth(Self.landmarks, by: 12)
        let mouth = (open.points2D[13] + open.points2D[14]) / 2
        let nose = open.points2D[1]
        var options = Self.plainOptions()
        options.keepOriginalMouth = true
        options.opacity = 0.5
        var out = Self.frame
        FaceMerger(options: options).merge(try Self.flatSwap((250, 10, 10)), landmarks: open, into: &out)
        let (mx, my) = (Int(mouth.x.rounded()), Int(mouth.y.rounded()))
        #expect(out[mx, my] == Self.frame[mx, my])
        let (nx, ny) = (Int(nose.x.rounded()), Int(nose.y.rounded()))
        #expect(abs(Int(out[nx, ny].r) - (Int(Self.frame[nx, ny].r) + 250 + 1) / 2) <= 1)
    }
}

extension FaceMergerTests {
    @Test func aFaceWithFewerLandmarksThanFaceMeshsIsStillMerged() {
        // A swapper with its own, shorter landmark set: no lips, eyes or oval to build on, but no trap either (the
        // mouth's corners were once read before the count was checked).
        let few = FaceLandmarks(points: Array(Self.landmarks.points.prefix(100)), presence: 1)
        var options = FaceMerger.Options()
        options.keepOriginalMouth = true
        let swap = SwappedFace.flat((250, 10, 10), like: Self.frame)
        var out = Self.frame
        FaceMerger(options: options).merge(swap, landmarks: few, into: &out)
        #expect(out.pixels != Self.frame.pixels, "the face was merged")
    }
}
