import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

@Suite struct MeshSwapperTests {
    static let source = TestImages.texture(width: 400, height: 400, phase: 1)
    static let sourceLandmarks = TestFaces.landmarks(center: SIMD2(200, 190), scale: 11)
    static let target = TestFaces.landmarks(center: SIMD2(330, 250), scale: 8, rotation: 0.3)
    static let frame = TestImages.texture(width: 640, height: 480, phase: 3)
    /// Source photo → target frame, the similarity both layouts differ by.
    static let sourceToFrame = AffineTransform2D(translation: -SIMD2<Float>(200, 190))
        .concatenating(AffineTransform2D(scale: 8 / 11, rotation: 0.3, translation: SIMD2(330, 250)))

    @Test func putsTheSourceTextureOnTheTargetFace() throws {
        // A texture, not a face: none of it is the photo's hair (``PhotoHair`` would lay skin over what it takes
        // for a fringe, ``PhotoLocks`` leave out what it takes for locks down the cheeks, and the photo would no
        // longer be carried as it is).
        var options = MeshSwapper.Options()
        options.hair.minimumShare = .infinity
        options.locks = nil
        // Carried as it is, the oval's sides too (``PhotoSideInset`` samples those from further in).
        options.sideInset.depth = 0
        let swapper = try MeshSwapper(source: Self.source, sourceLandmarks: Self.sourceLandmarks, options: options)
        #expect(swapper.alignment == nil)
        #expect(swapper.defaultRelighting == 1)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: Self.frame, landmarks: Self.target)))
        let mask = try #require(swap.mask)
        // Expected: the photo carried by the known similarity.
        let frameToSource = try #require(Self.sourceToFrame.inverted())
        let expected = ImageWarper.warp(Self.source, width: 640, height: 480, outputToSource: frameToSource)
        let toLocal = try #require(swap.toFrame.inverted())
        let holes = FaceMeshTriangulation.holes.map { ring in ring.map { toLocal.apply(Self.target.points2D[$0]) } }
        var se = 0.0, n = 0
        for y in 0..<swap.image.height {
            for x in 0..<swap.image.width where mask[x, y] > 0 {
                let local = SIMD2(Float(x), Float(y))
                // Eye and mouth openings hold the frame (the merger keeps the target's there).
                if holes.contains(where: { Polygon.contains($0, local) }) { continue }
                let f = swap.toFrame.apply(local)
                let (got, want) = (swap.image[x, y], expected[Int(f.x), Int(f.y)])
                let d = Double(got.g) - Double(want.g)
                se += d * d
                n += 1
            }
        }
        #expect(n > 10000)
        #expect(10 * log10(255 * 255 / max(se / Double(n), 1e-9)) > 35)
        #expect(swap.keptParts == [.eyes, .mouth])
        // Through the merger (no colour change): the frame shows the photo on the nose, the frame elsewhere.
        var merging = FaceMerger.Options()
        merging.colorTransfer = .none
        merging.relighting.strength = 0
        merging.keepHair = .off  // the frame is a texture, not a face: much of it would count as hair
        var out = Self.frame
        FaceMerger(options: merging).merge(swap, landmarks: Self.target, into: &out)
        let nose = Self.target.points2D[4]
        let (nx, ny) = (Int(nose.x.rounded()), Int(nose.y.rounded()))
        #expect(abs(Int(out[nx, ny].g) - Int(expected[nx, ny].g)) <= 2)
        #expect(out[10, 10] == Self.frame[10, 10])
        // The target's eyes and mouth opening are left alone.
        for ring in FaceMeshTriangulation.holes {
            let c = ring.map { Self.target.points2D[$0] }.reduce(.zero, +) / Float(ring.count)
            let (cx, cy) = (Int(c.x.rounded()), Int(c.y.rounded()))
            #expect(out[cx, cy] == Self.frame[cx, cy])
        }
    }

    /// A photo with a white ear's edge inside its oval at the ears' height, over the outer tenth of each side (the
    /// shipped photo's ear crease lies 1–3 pixels inside her oval): none of it reaches the swap, on a target like the
    /// photo or one whose right side is 1.5× as wide.
    @Test func leavesThePhotosEarsOut() throws {
        let points = Self.sourceLandmarks.points2D
        let midline = PhotoMirror.midline.map { points[$0].x }.reduce(0, +) / Float(PhotoMirror.midline.count)
        let (right, left) = (points[FaceMeshTopology.rightCheek].x, points[FaceMeshTopology.leftCheek].x)
        let ears = [127, 132].map { points[$0].y }
        let (w, h) = (Self.source.width, Self.source.height)
        var photo = RGBImage(width: w, height: h, pixels: Array(repeating: [180, 130, 110], count: w * h).flatMap { $0 })
        for y in Int(ears.min()!)...Int(ears.max()!.rounded(.up)) {
            for x in 0..<photo.width {
                let u = Float(x) - midline
                if u < 0 ? u < 0.9 * (right - midline) : u > 0.9 * (left - midline) { photo[x, y] = (255, 255, 255) }
            }
        }
        let frame = RGBImage(width: 640, height: 480, pixels: Array(repeating: 90, count: 640 * 480 * 3))
        var options = MeshSwapper.Options()
        options.browRise = nil
        for stretch: Float in [1, 1.5] {
            var target = TestFaces.landmarks(center: SIMD2(330, 250), scale: 8)
            let centre = PhotoMirror.midline.map { target.points[$0].x }.reduce(0, +) / Float(PhotoMirror.midline.count)
            target = FaceLandmarks(points: target.points.map { p in
                SIMD3(p.x < centre ? centre + stretch * (p.x - centre) : p.x, p.y, p.z)
            }, presence: 1)
            for depth: Float in [0, options.sideInset.depth] {
                var swapOptions = options
                swapOptions.sideInset.depth = depth
                let swapper = try MeshSwapper(source: photo, sourceLandmarks: Self.sourceLandmarks, options: swapOptions)
                let swap = try #require(try swapper.swap(FaceSwapInput(frame: frame, landmarks: target)))
                let mask = try #require(swap.mask)
                var white = 0
                for y in 0..<mask.height {
                    for x in 0..<mask.width where mask[x, y] > 0.02 && swap.image[x, y].g > 200 { white += 1 }
                }
                if depth == 0 {
                    #expect(white > 20, "stretch \(stretch): the ear's edge is inside the outline (\(white) pixels)")
                } else {
                    #expect(white == 0, "stretch \(stretch): \(white) pixels of the photo's ear")
                }
            }
        }
    }

    /// A photo whose hair comes down to just above the outline's forehead limit (a low fringe, well below the oval's
    /// top): the hair (painted pure green) must not reach the frame, and the swap mask must stop at the limit.
    @Test func leavesThePhotosHairOut() throws {
        let outline = SkinOutline()
        let layout = CanonicalFace.imageLayout
        // Hair down to 0.15 cm (1.7 photo pixels) above the outline's top.
        let outlineTop = outline.canonical.map(\.y).min()!
        let hairline = outlineTop - 0.15
        // Skin (red above green everywhere) on the photo, a grey frame: no blend of the two has green above red.
        let texture = Self.source
        var photo = RGBImage(width: texture.width, height: texture.height)
        for y in 0..<photo.height {
            for x in 0..<photo.width {
                let v = Float(texture[x, y].r) * 0.5 + 100
                photo[x, y] = (UInt8(v), UInt8(v * 0.75), UInt8(v * 0.6))
            }
        }
        var frame = Self.frame
        for y in 0..<frame.height { for x in 0..<frame.width { let v = frame[x, y].g; frame[x, y] = (v, v, v) } }
        let toPhoto = AffineTransform2D(scale: 11, rotation: 0, translation: SIMD2(200, 190))
        let hairY = Int(toPhoto.apply(SIMD2(0, hairline)).y)
        for y in 0...hairY { for x in 0..<photo.width { photo[x, y] = (0, 255, 0) } }
        // The frame is a texture, not a face: what lies above its brow landmarks is no brow to lift the cut over.
        var options = MeshSwapper.Options()
        options.browRise = nil
        let swapper = try MeshSwapper(source: photo, sourceLandmarks: Self.sourceLandmarks, options: options)
        let upright = TestFaces.landmarks(center: SIMD2(330, 250), scale: 8)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: frame, landmarks: upright)))
        let mask = try #require(swap.mask)
        // No mask above the outline's top (one pixel of anti-aliasing).
        let limit = 250 + 8 * outlineTop - swap.toFrame.ty - 1
        for y in 0..<mask.height where Float(y) < limit {
            for x in 0..<mask.width { #expect(mask[x, y] == 0) }
        }
        #expect(outlineTop > layout[FaceMeshTopology.foreheadTop].y + 1)  // really below the oval's top
        for transfer in [ColorTransfer.none, .rct] {
            var options = FaceMerger.Options()
            options.colorTransfer = transfer
            var out = frame
            FaceMerger(options: options).merge(swap, landmarks: upright, into: &out)
            var green = 0, changed = 0
            for y in 0..<out.height {
                for x in 0..<out.width {
                    let p = out[x, y]
                    if Int(p.g) - Int(p.r) > 12 { green += 1 }
                    if p != frame[x, y] { changed += 1 }
                }
            }
            #expect(changed > 5000)
            #expect(green == 0, "\(transfer): \(green) pixels of the photo's hair")
        }
    }

    @Test func fadesOutWithYaw() throws {
        let swapper = try MeshSwapper(source: Self.source, sourceLandmarks: Self.sourceLandmarks)
        #expect(swapper.strength(yaw: -20) == 1 && swapper.strength(yaw: 47.5) == 0.5 && swapper.strength(yaw: -70) == 0)
        let turned = FaceSwapInput(frame: Self.frame, landmarks: Self.target, pose: HeadPose(yaw: 47.5, pitch: 0, roll: 0))
        let half = try #require(try swapper.swap(turned))
        #expect(half.mask?.values.max() == 0.5)
        let profile = FaceSwapInput(frame: Self.frame, landmarks: Self.target, pose: HeadPose(yaw: 65, pitch: 0, roll: 0))
        #expect(try swapper.swap(profile) == nil)
        #expect(throws: MeshSwapperError.wrongLandmarkCount(3)) {
            try MeshSwapper(source: Self.source, sourceLandmarks: FaceLandmarks(points: [.zero, .zero, .zero], presence: 1))
        }
    }
}
