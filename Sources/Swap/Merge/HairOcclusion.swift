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
/// Hair is what is unlike the target's cheek skin (far darker, or another colour) and reaches the region's border
/// above the mouth through more of the same: brows, eyes, lips and nostrils are unlike skin too, but skin lies
/// between them and the border. A beard is dark and reaches the border too, up to the sideburns; the new face is
/// laid over it, not round it. So a face whose chin is as unlike its cheeks as hair (``beardShare``) keeps hair
/// only above its eyes, fading out towards the nose tip.
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

    public init() {}

    /// The hair to keep over the face (swap space, 0…1), or nil when there is none.
    ///
    /// - Parameters:
    ///   - original: the frame in swap space.
    ///   - points: the target's 468 landmarks in swap space.
    ///   - region: the face's blend mask: hair is searched where it is above 0, from its border band (below ½).
    public func hair(in original: RGBImage, points: [SIMD2<Float>], region: AlphaMask) -> AlphaMask? {
        guard points.count == FaceMeshTopology.pointCount else { return nil }
        let (w, h) = (original.width, original.height)
        let faceWidth = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] }).width
        guard faceWidth > 8, let skin = CheekSkin(in: original, landmarks: points, faceWidth: faceWidth)
        else { return nil }

        // The face's own dark and coloured parts, grown: never hair.
        var features = AlphaMask(width: w, height: h)
        for ring in FaceMeshTopology.featureRings { PolygonRasterizer.fill(ring.map { points[$0] }, into: &features) }
        features.erode(pixels: -max(1, Int((featureMargin * faceWidth).rounded())))

        // How unlike the skin each pixel of the region is, 0…1.
        var unlike = AlphaMask(width: w, height: h)
        let soft = max(softness, 1e-3)
        original.pixels.withUnsafeBufferPointer { p in
            for i in 0..<(w * h) where region.values[i] > 0 && features.values[i] < 0.5 {
                let rgb = SIMD3(Float(p[3 * i]), Float(p[3 * i + 1]), Float(p[3 * i + 2]))
                let luma = rgb.sum() / 3
                let dark = (darkness + soft - luma / skin.luma) / (2 * soft)
                let d = (luma > 1 ? rgb / luma : .one) - skin.chroma
                let coloured = ((d * d).sum().squareRoot() - chromaDistance + soft) / (2 * soft)
                unlike.values[i] = min(max(max(dark, coloured), 0), 1)
            }
        }

        // Heights along the face's own up direction: 0 at the mouth, 1 at the eyes.
        let mouth = (points[FaceMeshTopology.mouthLeft] + points[FaceMeshTopology.mouthRight]) / 2
        let eyes = (points[FaceMeshTopology.leftEyeOuter] + points[FaceMeshTopology.rightEyeOuter]) / 2
        let up = (eyes - mouth) / max(((eyes - mouth) * (eyes - mouth)).sum(), 1)
        func height(_ x: Int, _ y: Int) -> Float { ((SIMD2(Float(x), Float(y)) - mouth) * up).sum() }
        if Self.isBearded(unlike, points: points, faceWidth: faceWidth, share: beardShare) {
            // Above the eyes only, fading out towards the nose tip.
            let nose = ((points[FaceMeshTopology.noseTip] - mouth) * up).sum()
            for y in 0..<h {
                for x in 0..<w where unlike[x, y] > 0 {
                    let t = min(max((height(x, y) - nose) / max(1 - nose, 1e-3), 0), 1)
                    unlike[x, y] *= t * t * (3 - 2 * t)
                }
            }
        }
        // Seeds: unlike pixels in the region's border band, above the mouth.
        var seeds = [Int]()
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                guard region.values[i] > 0, region.values[i] < 0.5, unlike.values[i] > 0.5 else { continue }
                if height(x, y) > 0 { seeds.append(i) }
            }
        }
        guard !seeds.isEmpty else { return nil }
        var reached = unlike.region(connectedTo: seeds, above: 0.5)
        // A pixel beyond the core keeps its own soft share: the locks' edges follow the image, not a threshold.
        reached.erode(pixels: -1)
        reached.multiply(by: unlike)
        guard reached.values.contains(where: { $0 > 0.5 }) else { return nil }
        if feather > 0 { reached.gaussianBlur(sigma: feather) }
        return reached
    }

    /// Whether the chin (a disc of 0.08 face widths 60 % of the way from the lower lip to the chin's tip) is at
    /// least `share` unlike the cheeks: a beard. Hair seldom falls there.
    static func isBearded(_ unlike: AlphaMask, points: [SIMD2<Float>], faceWidth: Float, share: Float) -> Bool {
        let lip = points[FaceMeshTopology.lowerLipBottom], tip = points[FaceMeshTopology.chin]
        let centre = lip + 0.6 * (tip - lip), radius = 0.08 * faceWidth
        var inside: Float = 0, total: Float = 0
        let r = Int(radius.rounded(.up))
        for y in (Int(centre.y) - r)...(Int(centre.y) + r) where y >= 0 && y < unlike.height {
            for x in (Int(centre.x) - r)...(Int(centre.x) + r) where x >= 0 && x < unlike.width {
                let d = SIMD2(Float(x), Float(y)) - centre
                guard (d * d).sum() <= radius * radius else { continue }
                total += 1
                inside += unlike[x, y]
            }
        }
        return total > 0 && inside >= share * total
    }
}
