import Stream
import Testing
@testable import Face
@testable import Imaging
@testable import Swap

/// A lock of dark hair drawn over the astronaut's cheek from above her temple stays in front of the new face; a
/// dark beard drawn along her jaw below the mouth does not, nor does the shadow of a side light.
@Suite struct HairOcclusionTests {
    static let points = AstronautPhoto.landmarks.points2D
    static let faceWidth = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width

    /// A band `width` × face width wide along the segment a…b (frame pixels).
    static func inBand(_ p: SIMD2<Float>, _ a: SIMD2<Float>, _ b: SIMD2<Float>, width: Float) -> Bool {
        let ab = b - a, t = min(max(((p - a) * ab).sum() / (ab * ab).sum(), 0), 1)
        let d = p - (a + t * ab)
        return (d * d).sum().squareRoot() < width * faceWidth / 2
    }

    /// The lock: from above and outside the temple on the image's left, down over the cheek's edge to the mouth's
    /// level, reaching a third of the way to the nose.
    static func inLock(_ p: SIMD2<Float>) -> Bool {
        let temple = points[127], cheek = points[132], nose = points[FaceMeshTopology.noseTip]
        let top = temple + SIMD2(-0.1, -0.25) * faceWidth
        return inBand(p, top, cheek + 0.35 * (nose - cheek), width: 0.12)
    }

    /// The beard: along the jaw on both sides below the mouth to the chin, and the chin under the lower lip.
    static func inBeard(_ p: SIMD2<Float>) -> Bool {
        let chin = points[FaceMeshTopology.chin], lip = points[FaceMeshTopology.lowerLipBottom]
        return [points[172], points[397]].contains { inBand(p, $0, chin, width: 0.14) }
            || inBand(p, lip + 0.25 * (chin - lip), chin, width: 0.25)
    }

    static func drawn(lock: Bool, beard: Bool) -> RGBImage {
        var image = AstronautPhoto.image
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = SIMD2(Float(x), Float(y))
                if lock && inLock(p) {
                    // Strands: a little texture across the lock.
                    let v = UInt8(38 + 14 * (x % 5 == 0 ? 1 : 0))
                    image[x, y] = (v, UInt8(Int(v) * 3 / 4), UInt8(Int(v) / 2))
                } else if beard && inBeard(p) {
                    image[x, y] = (52, 40, 34)
                }
            }
        }
        return image
    }

    /// A flat red new face merged over `frame` (no relighting, alpha blend), with the target's hair `mode`.
    static func merged(_ frame: RGBImage, mode: HairMode) -> RGBImage {
        let swap = SwappedFace.flat((230, 60, 60), like: frame)
        var options = FaceMerger.Options()
        options.relighting.strength = 0
        options.colorTransfer = .none
        options.blend = .alpha
        options.keepHair = mode
        var out = frame
        FaceMerger(options: options).merge(swap, landmarks: AstronautPhoto.landmarks, into: &out)
        return out
    }

    /// Mean largest channel change over the pixels `inside` picks well inside the face's mask (where the swap is whole).
    static func change(_ out: RGBImage, _ frame: RGBImage, where inside: (SIMD2<Float>) -> Bool) -> (Double, Int) {
        var mask = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: frame.width, height: frame.height)
        mask.erode(pixels: Int(0.1 * faceWidth))
        var sum = 0.0, n = 0
        for y in 0..<frame.height {
            for x in 0..<frame.width where mask[x, y] > 0.5 && inside(SIMD2(Float(x), Float(y))) {
                let (o, f) = (out[x, y], frame[x, y])
                sum += Double(max(abs(Int(o.r) - Int(f.r)), abs(Int(o.g) - Int(f.g)), abs(Int(o.b) - Int(f.b))))
                n += 1
            }
        }
        return (sum / Double(max(n, 1)), n)
    }

    @Test func aLockOverTheCheekStaysTheTargets() {
        let frame = Self.drawn(lock: true, beard: false)
        let (kept, n) = Self.change(Self.merged(frame, mode: .on), frame, where: Self.inLock)
        #expect(n > 100, "the lock reaches \(n) pixels into the face")
        #expect(kept < 20, "lock pixels changed by \(kept) levels with --keep-hair on")
        // Off, the new face covers it (the lock is well inside the mask): the test can tell.
        let (covered, _) = Self.change(Self.merged(frame, mode: .off), frame, where: Self.inLock)
        #expect(covered > 120, "lock pixels changed by \(covered) levels with --keep-hair off")
        // The rest of the face is the new face's.
        let (skin, _) = Self.change(Self.merged(frame, mode: .on), frame) { p in
            p.x > Self.points[FaceMeshTopology.noseTip].x + 0.1 * Self.faceWidth
        }
        #expect(skin > 100, "the other cheek changed by only \(skin) levels")
    }

    @Test func aBeardBelowTheMouthIsNotHair() {
        let frame = Self.drawn(lock: false, beard: true)
        let (changed, n) = Self.change(Self.merged(frame, mode: .on), frame, where: Self.inBeard)
        #expect(n > 100, "the beard reaches \(n) pixels into the face")
        #expect(changed > 120, "beard pixels changed by only \(changed) levels: taken for hair")
    }

    @Test func aSideLightsShadowIsNotHair() {
        // Lit from the image's right: the face's left half falls to 35 % of its light towards its edge, about as
        // dark against the lit cheek as hair. Each side is judged against its own cheek, so the new face covers it.
        let nose = Self.points[FaceMeshTopology.noseTip]
        var frame = AstronautPhoto.image
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let f = 1 - 0.65 * min(max((nose.x - Float(x)) / (0.5 * Self.faceWidth), 0), 1)
                let p = frame[x, y]
                frame[x, y] = (UInt8(Float(p.r) * f), UInt8(Float(p.g) * f), UInt8(Float(p.b) * f))
            }
        }
        let darkSide = { (p: SIMD2<Float>) in p.x < nose.x - 0.2 * Self.faceWidth }
        let (on, n) = Self.change(Self.merged(frame, mode: .on), frame, where: darkSide)
        let (off, _) = Self.change(Self.merged(frame, mode: .off), frame, where: darkSide)
        #expect(n > 200)
        #expect(abs(on - off) < 2, "the shadowed side changed by \(on) levels, \(off) without keeping hair")
    }

    /// A risen brows' mask (a band along the brows' line, from 3 % of the face width below it to 6 % above) under a
    /// lock from 20 % of the face width out to one side: from the lock on, the part above the brow is cut, faded out
    /// over as many columns before it as the hair's test band is high, not in one column.
    @Test func risenBrowsAreCutUnderALockWithAFade() {
        let points = AstronautPhoto.landmarks.points2D.map { $0 * 3 }
        let faceWidth = FaceMeshTopology.ovalWidth(points)
        let (line, up) = FaceMeshTopology.browLine(points)
        let across = SIMD2(up.y, -up.x)
        func place(_ p: SIMD2<Float>) -> (column: Float, height: Float) {
            let d = p - line
            return ((d * across).sum() / faceWidth, (d * up).sum() / faceWidth)
        }
        var brows = AlphaMask(width: 3 * AstronautPhoto.image.width, height: 3 * AstronautPhoto.image.height)
        for y in 0..<brows.height {
            for x in 0..<brows.width {
                let (column, height) = place(SIMD2(Float(x), Float(y)))
                if abs(column) < 0.35, height > -0.03, height < 0.06 { brows[x, y] = 1 }
            }
        }
        let cut = HairOcclusion().browsUnderSkin(brows, reach: 0.04 * faceWidth, points: points,
                                                 faceWidth: faceWidth) { p in place(p).column > 0.2 ? 1 : 0 }
        // Across the face 4.5 % above the brows' line: above the brow (its top, less the reach), pixel by pixel.
        let values = stride(from: Float(0), through: 0.34 * faceWidth, by: 1).map { c -> Float in
            let p = line + across * c + up * (0.045 * faceWidth)
            return cut[Int(p.x.rounded()), Int(p.y.rounded())]
        }
        let steps = zip(values, values.dropFirst()).map { abs($1 - $0) }
        #expect(values.first == 1 && values.last == 0, "from \(values.first ?? -1) to \(values.last ?? -1)")
        #expect(values.count { $0 > 0.05 && $0 < 0.95 } >= 3 && steps.max()! < 0.35,
                "the cut: \(values.filter { $0 > 0 && $0 < 1 }), its largest step \(steps.max()!)")
        // Below the brow's top less the reach, the mask stays whole across the lock.
        let below = line + across * (0.3 * faceWidth)
        #expect(cut[Int(below.x.rounded()), Int(below.y.rounded())] == 1)
    }
}
