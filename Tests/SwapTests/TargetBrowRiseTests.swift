import Face
import Imaging
import Stream
import Testing
@testable import Swap

/// A target whose brows sit above FaceMesh's brow landmarks (groomed or raised brows) gets the swap's forehead cut
/// lifted over them, and keeps no second pair of brows. On the committed astronaut, enlarged three times, her
/// forehead painted over in her skin's colour and a pair of brows painted at a chosen height.
@Suite struct TargetBrowRiseTests {
    static let scale: Float = 3
    static let points = AstronautPhoto.landmarks.points2D.map { $0 * scale }
    static let landmarks = FaceLandmarks(points: AstronautPhoto.landmarks.points.map { $0 * scale }, presence: 1)
    static let faceWidth = FaceMeshTopology.ovalWidth(points)
    static let skin = SIMD3<Float>(205, 165, 140)

    /// The face's up direction (lips to brows).
    static var up: SIMD2<Float> { FaceMeshTopology.browLine(points).up }

    /// Points along both brows' upper edges, `rise` (share of the face width) above them.
    static func browLine(rise: Float) -> [SIMD2<Float>] {
        FaceMeshTopology.browUpperEdges.flatMap { ring -> [SIMD2<Float>] in
            let edge = ring.map { points[$0] }
            return zip(edge, edge.dropFirst()).flatMap { a, b in (0..<8).map { a + (b - a) * (Float($0) / 8) } }
        }.map { $0 + up * (rise * faceWidth) }
    }

    /// The enlarged astronaut with her forehead (from her brows' upper edges up) in her skin's colour, darkened by
    /// `shade` towards the brows, and with brows (a band 4 % of the face width high) centred `rise` above the
    /// landmarks' upper edge.
    static func target(rise: Float?, shade: Float = 0) -> RGBImage {
        let photo = AstronautPhoto.image
        let (w, h) = (Int(Float(photo.width) * scale), Int(Float(photo.height) * scale))
        var image = ImageWarper.warp(photo, width: w, height: h,
                                     outputToSource: AffineTransform2D(a: 1 / scale, b: 0, tx: 0, c: 0, d: 1 / scale, ty: 0))
        let edge = browLine(rise: 0), brows = rise.map { browLine(rise: $0) } ?? []
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: w, height: h)
        let top = edge.map { ($0 * up).sum() }.max()!
        for y in 0..<h {
            for x in 0..<w where oval[x, y] > 0 {
                let p = SIMD2(Float(x), Float(y))
                let height = ((p * up).sum() - top) / faceWidth
                guard height > -0.01 else { continue }
                var c = skin * (1 - shade * max(0, 1 - height / 0.12))
                if brows.contains(where: { q in ((p - q) * (p - q)).sum() < 0.02 * faceWidth * 0.02 * faceWidth }) {
                    c = SIMD3(95, 70, 60)
                }
                image[x, y] = (UInt8(c.x), UInt8(c.y), UInt8(c.z))
            }
        }
        return image
    }

    @Test func browsAtTheLandmarksOrAShadedForeheadLiftNothing() {
        let rise = TargetBrowRise()
        #expect(rise.lift(in: Self.target(rise: 0), landmarks: Self.points, faceWidth: Self.faceWidth) == 0)
        #expect(rise.lift(in: Self.target(rise: nil), landmarks: Self.points, faceWidth: Self.faceWidth) == 0)
        let shaded = rise.lift(in: Self.target(rise: nil, shade: 0.17), landmarks: Self.points, faceWidth: Self.faceWidth)
        #expect(shaded == 0, "a forehead darkening towards the brows lifts \(shaded)")
    }

    @Test func browsAboveTheLandmarksLiftTheCutByTheirRise() {
        // A band from 2.5 % to 6.5 % of the face width above the edge (talk_woman_d10's: 2 % to 7 %).
        let lift = TargetBrowRise().lift(in: Self.target(rise: 0.045), landmarks: Self.points, faceWidth: Self.faceWidth)
        #expect(lift >= 0.05 && lift <= 0.08, "lift \(lift)")
    }

    /// The astronaut's photo swapped onto `target` with `options` and merged, and the swap itself.
    static func swapped(onto target: RGBImage, options: MeshSwapper.Options) throws -> (frame: RGBImage, swap: SwappedFace) {
        let swapper = try MeshSwapper(source: AstronautPhoto.image, sourceLandmarks: AstronautPhoto.landmarks,
                                      options: options)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: target, landmarks: Self.landmarks)))
        var frame = target
        FaceMerger().merge(swap, landmarks: Self.landmarks, into: &frame)
        return (frame, swap)
    }

    /// The astronaut's photo swapped onto `target` and merged: the output's luma at the risen brows over the
    /// painted skin's.
    static func browShare(_ target: RGBImage, browRise: TargetBrowRise?) throws -> Float {
        var options = MeshSwapper.Options()
        options.browRise = browRise
        // The photo's brows where FaceMesh put them: the cut alone covers the target's (``TargetBrowOffsetTests``
        // draws them over the target's).
        options.browOffset = nil
        let frame = try swapped(onto: target, options: options).frame
        let centre = browLine(rise: 0.045)
        let inner = centre.filter { q in
            // The brows' inner two thirds: their outer ends reach the temples' hair.
            let mid = (Self.points[FaceMeshTopology.rightEyebrowRing[0]] + Self.points[FaceMeshTopology.leftEyebrowRing[0]]) / 2
            return abs(((q - mid) * SIMD2(-Self.up.y, Self.up.x)).sum()) < 0.25 * Self.faceWidth
        }
        func luma(_ image: RGBImage) -> Float {
            inner.reduce(0) { sum, q in
                let p = image[Int(q.x), Int(q.y)]
                return sum + (Float(p.r) + Float(p.g) + Float(p.b)) / 3
            } / Float(inner.count)
        }
        return luma(frame) / (Self.skin.sum() / 3)
    }

    @Test func risenBrowsAreCoveredByTheNewForehead() throws {
        // Lifted, left out of the target's light (0.91 without) and not taken for hair (0.44 without).
        let target = Self.target(rise: 0.045)
        let lifted = try Self.browShare(target, browRise: TargetBrowRise())
        let unlifted = try Self.browShare(target, browRise: nil)
        #expect(lifted > 0.95 && unlifted < 0.75, "the risen brows keep \(lifted) of the skin's luma (\(unlifted) unlifted)")
    }

    /// A dark lock (luma 41) painted over the right temple of the target with risen brows, reaching in `reach` (share
    /// of the face width) from the outer end of FaceMesh's brow ring, at `heights` above the brows' line (share of
    /// the face width); swapped with the astronaut and merged. Returns how many of the lock's pixels inside the oval
    /// lie at `measured` heights, their mean luma in the output, and how many of them the new skin covers (luma
    /// over 80).
    static func lockOverTemple(reach: Float, heights: ClosedRange<Float>,
                               measured: ClosedRange<Float>) throws -> (count: Int, luma: Float, covered: Int) {
        var target = Self.target(rise: 0.045)
        let (line, up) = FaceMeshTopology.browLine(Self.points)
        let across = SIMD2(up.y, -up.x)
        let ends = FaceMeshTopology.rightEyebrowRing.map { ((Self.points[$0] - line) * across).sum() }
        let outer = abs(ends.min()!) > abs(ends.max()!) ? ends.min()! : ends.max()!
        let from = abs(outer) - reach * Self.faceWidth, side: Float = outer < 0 ? -1 : 1
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { Self.points[$0] },
                                          width: target.width, height: target.height)
        var lock: [(Int, Int)] = []
        for y in 0..<target.height {
            for x in 0..<target.width {
                let d = SIMD2(Float(x), Float(y)) - line
                let height = (d * up).sum() / Self.faceWidth
                guard side * (d * across).sum() > from, heights.contains(height) else { continue }
                target[x, y] = (45, 38, 40)
                if oval[x, y] > 0, measured.contains(height) { lock.append((x, y)) }
            }
        }
        var options = MeshSwapper.Options()
        options.browRise = TargetBrowRise()
        let (frame, swap) = try swapped(onto: target, options: options)
        #expect(swap.browRise > 0)
        let lumas = lock.map { p in
            let c = frame[p.0, p.1]
            return (Float(c.r) + Float(c.g) + Float(c.b)) / 3
        }
        return (lock.count, lumas.reduce(0, +) / Float(max(lock.count, 1)), lumas.count { $0 > 80 })
    }

    @Test func hairOverATempleBesideRisenBrowsStaysTheTargets() throws {
        // A lock reaching in 6 % of the face width past the end of FaceMesh's brow ring (on talk_woman_d10 the rings
        // run on past her brows' tails into her hair).
        let lock = try Self.lockOverTemple(reach: 0.06, heights: -0.03...0.2, measured: -0.03...0.2)
        // 93 while the risen brows were kept out of the hair's search across the temple: the new skin over the lock.
        #expect(lock.count > 100 && lock.luma < 60, "the lock's \(lock.count) pixels inside the oval: mean luma \(lock.luma)")
    }

    @Test func aLockFallingOverABrowsOuterEndStaysTheTargetsAboveTheBrow() throws {
        // A lock reaching in 16 % of the face width, from just above the risen brow up (talk_woman_d10 when her head
        // tilts: a strand over her brow's tail), measured in the band the brows' mask reaches over above the brow.
        let edge = Self.browLine(rise: 0).map { (($0 - FaceMeshTopology.browLine(Self.points).point) * Self.up).sum() }
            .max()! / Self.faceWidth
        let lock = try Self.lockOverTemple(reach: 0.16, heights: (edge + 0.075)...(edge + 0.3),
                                           measured: (edge + 0.08)...(edge + 0.11))
        // 81 while the whole of the risen brows' mask was kept out of the hair's search: the new skin over the lock.
        #expect(lock.count > 100 && lock.luma < 60, "the lock's \(lock.count) pixels above the brow: mean luma \(lock.luma)")
    }

    @Test func aLockOverTheOuterEndOfTheBrowRingStaysTheTargets() throws {
        // A lock reaching in 4 % of the face width, at the brows' own height: past the risen brows' mask (which stops
        // that far short of FaceMesh's brow rings), over the rings' outer ends (talk_woman_d10's brow rings run on
        // past her brows' tails into her hair).
        let lock = try Self.lockOverTemple(reach: 0.04, heights: -0.04...0.05, measured: -0.04...0.05)
        // 80 covered (mean luma 50) while the rings' ends were left out of the hair's search as brow: a pale corner of
        // new skin in the lock beside the brow's tail.
        #expect(lock.count > 300 && lock.covered < 10, "of the lock's \(lock.count) pixels at the brow's height \(lock.covered) are covered")
    }
}
