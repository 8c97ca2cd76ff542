import Face
import Imaging
import Stream

/// Whether the target's hair over the face's outline stays in front of the new face (``HairOcclusion``).
public enum HairMode: String, Sendable, CaseIterable {
    case on, off
}

/// The target's own hair in front of its face: locks over the temples and cheeks, a fringe over the forehead, and
/// whatever of the background the swapped region reaches past a turned face's edge. Kept as the target's, like a
/// hand in front (DeepFaceLab's XSeg leaves them out of the target's mask the same way).
///
/// The face landmarker places the face's outline under the hair, so the swapped region runs into it; without this
/// the new face's skin was laid over the locks as a pale veil, and the relighting, taking the target's light from
/// under the hair, greyed the skin beside them.
///
/// Hair is what is unlike the target's cheek skin (far darker, or another colour; each side of the face against its
/// own cheek, so a side light's shadow is skin) and reaches the region's border above the mouth through more of the
/// same: brows, eyes, lips and nostrils are unlike skin too, but skin lies between them and the border. A beard is
/// dark and reaches the border too, up the sideburns, and the new face is laid over it, not round it: a face whose
/// chin is as unlike its cheeks as hair (``beardShare``) keeps hair only above its eyes, fading out towards the
/// nose tip.
public struct HairOcclusion: Sendable, Equatable {
    /// Luma below this share of the cheek skin's is not skin (half of it at ``darkness``, soft by ``softness``
    /// either side).
    public var darkness: Float = 0.55
    /// Chroma distance (RGB ÷ luma, Euclidean) from the cheek skin's beyond which a pixel is not skin.
    public var chromaDistance: Float = 0.3
    /// Half-width of the soft step of both tests, in their own units (share of the skin's luma; chroma distance).
    public var softness: Float = 0.1
    /// Growth of the brow, eye and lip outlines left out of the search, as a share of the face width (a lock that
    /// touches a brow's tail must not take the brow with it).
    public var featureMargin: Float = 0.005
    /// Feather of the kept hair (Gaussian σ), swap-space pixels.
    public var feather: Float = 1
    /// Share of the chin (a disc below the lower lip) unlike the cheeks from which the face counts as bearded.
    public var beardShare: Float = 0.3
    /// Height of the band above the risen brows' mask that tells a brow with forehead above it from one under a lock
    /// of hair, as a share of the face width (``browsUnderSkin(_:reach:points:faceWidth:unlikeness:)``).
    public var browHairBand: Float = 0.03

    public init() {}

    /// The hair to keep over the face (swap space, 0…1), or nil when there is none.
    ///
    /// - Parameters:
    ///   - original: the frame in swap space.
    ///   - points: the target's 468 landmarks in swap space.
    ///   - region: the face's blend mask: hair is searched where it is above 0, from its border band (below ½).
    ///   - brows: the target's brows where they lie off its landmarks (swap space, 0…1; ``SwappedFace/browRise``):
    ///     never hair either, but for the part above them under a lock at a temple
    ///     (``browsUnderSkin(_:reach:points:faceWidth:unlikeness:)``).
    ///   - browsReach: how far `brows` reaches above the brows themselves (swap-space pixels).
    public func hair(in original: RGBImage, points: [SIMD2<Float>], region: AlphaMask,
                     brows: AlphaMask? = nil, browsReach: Float = 0) -> AlphaMask? {
        guard points.count == FaceMeshTopology.pointCount, let box = region.support(above: 0) else { return nil }
        let (w, h) = (original.width, original.height)
        let faceWidth = FaceMeshTopology.ovalWidth(points)
        guard faceWidth > 8, let skin = SkinContrast(in: original, points: points, faceWidth: faceWidth, hair: self)
        else { return nil }

        // The risen brows are never hair, but for their stretch under a lock at either temple.
        let brows = brows.map {
            browsUnderSkin($0, reach: browsReach, points: points, faceWidth: faceWidth) { p in
                skin.unlikeness(of: original, x: Int(p.x.rounded()), y: Int(p.y.rounded()))
            }
        }
        // The face's own dark and coloured parts, grown: never hair. With the risen brows given, they stand for the
        // brows: FaceMesh's brow rings run on past a brow's tail into the hair (talk_woman_d10), and the lock over
        // their ends, left out as brow, was covered with a pale corner of new skin beside the brow's tail.
        let rings = brows == nil ? FaceMeshTopology.featureRings : Self.featureRingsButBrows
        let features = FaceMeshTopology.placedFeatureMask(rings, on: points, width: w, height: h,
                                                          grownBy: featureMargin, faceWidth: faceWidth)

        // How unlike the target's skin a pixel of the region is, 0…1 (features: 0).
        func unlikeness(_ x: Int, _ y: Int) -> Float {
            guard x >= 0, y >= 0, x < w, y < h else { return 0 }
            let i = y * w + x
            guard region.values[i] > 0, (features?[x, y] ?? 0) < 0.5, (brows?.values[i] ?? 0) < 0.5 else { return 0 }
            return skin.unlikeness(of: original, x: x, y: y)
        }

        // Heights along the face's own up direction: 0 at the mouth, 1 at the eyes. A bearded face keeps hair above
        // its eyes only, fading out towards the nose tip.
        let mouth = (points[FaceMeshTopology.mouthLeft] + points[FaceMeshTopology.mouthRight]) / 2
        let eyes = (points[FaceMeshTopology.leftEyeOuter] + points[FaceMeshTopology.rightEyeOuter]) / 2
        let up = (eyes - mouth) / max(((eyes - mouth) * (eyes - mouth)).sum(), 1)
        func height(_ x: Int, _ y: Int) -> Float { ((SIMD2(Float(x), Float(y)) - mouth) * up).sum() }
        let nose = ((points[FaceMeshTopology.noseTip] - mouth) * up).sum()
        let bearded = Self.isBearded(points: points, faceWidth: faceWidth, share: beardShare, unlikeness: unlikeness)

        // Worked out only where the search goes (the border band and the hair it reaches), once per pixel, and
        // memoised in a buffer: an array captured by the nested function is checked for exclusive access per call.
        var known = [Float](repeating: -1, count: w * h)
        return known.withUnsafeMutableBufferPointer { known -> AlphaMask? in
            func unlike(_ i: Int) -> Float {
                if known[i] >= 0 { return known[i] }
                let (x, y) = (i % w, i / w)
                var u = unlikeness(x, y)
                if bearded, u > 0 {
                    u *= Ramp.smoothstep(min(max((height(x, y) - nose) / max(1 - nose, 1e-3), 0), 1))
                }
                known[i] = u
                return u
            }
            // Seeds: unlike pixels in the region's border band, above the mouth; then the flood through more of them.
            // The region read through a pointer with wrapping indices (the box lies in it): checking each index was
            // most of this scan, which passes over the whole face for a thin band.
            var seeds = [Int]()
            region.values.withUnsafeBufferPointer { values in
                for y in box.y0...box.y1 {
                    let row = y &* w
                    for x in box.x0...box.x1 {
                        let i = row &+ x
                        guard values[i] > 0, values[i] < 0.5, height(x, y) > 0, unlike(i) > 0.5 else { continue }
                        seeds.append(i)
                    }
                }
            }
            let core = FloodFill.pixels(width: w, height: h, from: seeds) { unlike($0) > 0.5 }
            guard !core.isEmpty else { return nil }
            var (x0, y0, x1, y1) = (w, h, -1, -1)
            for i in core {
                let (x, y) = (i % w, i / w)
                (x0, y0, x1, y1) = (min(x0, x), min(y0, y), max(x1, x), max(y1, y))
            }
            // The reached core and the pixels round it, each with its own soft share: the locks' edges follow the
            // image, not a threshold. Feathered in the hair's box only (the blur is zero outside).
            let margin = 2 + Int((3 * feather).rounded(.up))
            let (bx, by) = (max(0, x0 - margin), max(0, y0 - margin))
            let (bw, bh) = (min(w - 1, x1 + margin) - bx + 1, min(h - 1, y1 + margin) - by + 1)
            var kept = AlphaMask(width: bw, height: bh)
            for i in core {
                let (x, y) = (i % w, i / w)
                for ny in max(0, y - 1)...min(h - 1, y + 1) {
                    for nx in max(0, x - 1)...min(w - 1, x + 1) {
                        // Fading out as the brows' mask fades in, to nothing at its half (where the search stops):
                        // stopped there, the hair beside the brows ended in the mask's own straight edges.
                        let n = ny * w + nx
                        kept[nx - bx, ny - by] = unlike(n) * max(0, 1 - 2 * (brows?.values[n] ?? 0))
                    }
                }
            }
            guard kept.values.contains(where: { $0 > 0.5 }) else { return nil }
            if feather > 0 { kept.gaussianBlur(sigma: feather) }
            var hair = AlphaMask(width: w, height: h)
            hair.paste(kept, x: bx, y: by)
            return hair
        }
    }

    /// ``FaceMeshTopology/featureRings`` without the brows.
    static let featureRingsButBrows = FaceMeshTopology.featureRings.filter {
        $0 != FaceMeshTopology.rightEyebrowRing && $0 != FaceMeshTopology.leftEyebrowRing
    }

    /// Whether the chin (a disc of 0.08 face widths 60 % of the way from the lower lip to the chin's tip) is at
    /// least `share` unlike the cheeks (`unlikeness` of a pixel, 0…1): a beard. Hair seldom falls there.
    static func isBearded(points: [SIMD2<Float>], faceWidth: Float, share: Float,
                          unlikeness: (Int, Int) -> Float) -> Bool {
        let lip = points[FaceMeshTopology.lowerLipBottom], tip = points[FaceMeshTopology.chin]
        let centre = lip + 0.6 * (tip - lip), radius = 0.08 * faceWidth
        var inside: Float = 0, total: Float = 0
        let r = Int(radius.rounded(.up))
        for y in (Int(centre.y) - r)...(Int(centre.y) + r) {
            for x in (Int(centre.x) - r)...(Int(centre.x) + r) {
                let d = SIMD2(Float(x), Float(y)) - centre
                guard (d * d).sum() <= radius * radius else { continue }
                total += 1
                inside += unlikeness(x, y)
            }
        }
        return total > 0 && inside >= share * total
    }
}
