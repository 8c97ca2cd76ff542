import Face
import Imaging
import Stream

/// Where a photo's long hair falls down the sides of its face, over the temples and cheeks: found once, when the
/// photo is loaded, and left out of the swap like a fringe (``PhotoHair``, which searches above the brows only).
///
/// FaceMesh lays the face's oval under such hair, and the swap samples the photo up to the oval's sides, less
/// ``PhotoSideInset``'s band: locks reaching further in were laid over the target's cheeks as dark grey smudges
/// (a frame of portrait_1080x1920_hands as the photo, on talk_may_5s and talk_studio_1). There the target's own
/// cheek stays, as the merger keeps the target's own locks (``HairOcclusion``, whose search this runs on the photo:
/// each side judged against its own cheek, so a side light's shadow is skin).
///
/// Only the sides are searched, below the brows (the fringe is ``PhotoHair``'s) and outside the eyes' outer
/// corners (a moustache, nostrils and lid shadows reach the search's border band too), less the eyes' lashes and
/// liner.
struct PhotoLocks: Sendable, Equatable {
    /// The search, as the merger runs it on the target.
    var finder = HairOcclusion()
    /// Below this share of the sampled region (weighted by the swap's feather) no lock is reported: a jaw's shadow
    /// or a lock's tip in the outermost band, where the swap's feather fades anyway. The shared portraits: under
    /// 0.01; a photo with its hair down both cheeks: 0.02–0.03 (docs/BENCHMARKS.md, "Session 48").
    var minimumShare: Float = 0.015
    /// Feather of the cut (Gaussian σ), as a share of the face width: the target's cheek and the photo's skin meet
    /// along the lock's edge.
    var feather: Float = 0.01
    /// Growth of the cut into the skin beside the locks, as a share of the face width: their soft edge and the
    /// shadow they cast on the cheek.
    var growth: Float = 0.025
    /// Growth of the eye outlines kept out of the locks, as a share of the face width.
    var eyeMargin: Float = 0.04

    /// The photo's locks over its sides in `box` (1 = hair), or nil when they cover less than ``minimumShare``.
    ///
    /// - Parameters:
    ///   - photo: the identity photo.
    ///   - box: where in the photo to search, with its landmarks.
    ///   - region: where the swap samples the photo (the outline on the sampled landmarks, in `box`'s coordinates),
    ///     feathered as the swap's mask is: the search starts from its border band.
    func locks(in photo: RGBImage, box: PhotoFaceBox, region: AlphaMask) -> AlphaMask? {
        let crop = photo.cropped(x: box.x0, y: box.y0, width: box.width, height: box.height)
        guard var hair = finder.hair(in: crop, points: box.local, region: region) else { return nil }
        // Lashes and liner past the eyes' corners reach the locks at the temples; they are the photo's eyes.
        hair.cut(box.features([FaceMeshTopology.rightEye, FaceMeshTopology.leftEye], grownBy: eyeMargin))
        let points = box.local
        let (brows, up) = FaceMeshTopology.browLine(points)
        let (right, left) = (points[FaceMeshTopology.rightEyeOuter], points[FaceMeshTopology.leftEyeOuter])
        let across = (left - right) / max(((left - right) * (left - right)).sum().squareRoot(), 1e-6)
        var covered: Float = 0, area: Float = 0
        for y in 0..<box.height {
            for x in 0..<box.width {
                let p = SIMD2(Float(x), Float(y))
                let i = y * box.width + x
                let side = ((p - right) * across).sum() < 0 || ((p - left) * across).sum() > 0
                if ((p - brows) * up).sum() >= 0 || !side { hair.values[i] = 0 }
                area += region.values[i]
                covered += region.values[i] * hair.values[i]
            }
        }
        guard area > 0, covered >= minimumShare * area else { return nil }
        hair.erode(pixels: -Int((growth * box.faceWidth).rounded()))
        hair.gaussianBlur(sigma: max(feather * box.faceWidth, 0.5))
        return hair
    }

    /// Where the swap samples the photo, over `box`: `outline` on the `sampled` landmarks (photo pixels), eroded
    /// and feathered by `sigma` pixels as the swap's own mask is.
    static func region(_ outline: SkinOutline, sampled: [SIMD2<Float>], box: PhotoFaceBox, sigma: Float) -> AlphaMask {
        let corner = SIMD2(Float(box.x0), Float(box.y0))
        var region = PolygonRasterizer.fill(outline.polygon(on: sampled.map { $0 - corner }),
                                            width: box.width, height: box.height)
        MeshSwapper.featherInside(&region, sigma: sigma)
        // The blur's far tails are not the region: the search seeds wherever it is above 0.
        for i in region.values.indices where region.values[i] < 1 / 255 { region.values[i] = 0 }
        return region
    }
}

extension PhotoLocks {
    /// `skin` (nil: the whole face is skin) with the photo's locks left out too; `skin` itself without any.
    ///
    /// - Parameters:
    ///   - photo: the identity photo, and its face's 468 `landmarks`.
    ///   - sampled: the landmarks where the swap samples the photo (``PhotoSideInset``).
    ///   - outline: the region the swap takes, and its feather (Gaussian σ as a share of the face width).
    ///   - margin: the growth of a new mask's box round the oval, as a share of the face width (``PhotoHair``'s).
    func cutting(_ skin: PhotoHair.Skin?, photo: RGBImage, landmarks: [SIMD2<Float>], sampled: [SIMD2<Float>],
                 outline: SkinOutline, feather: Float, margin: Float) -> PhotoHair.Skin? {
        guard let box = skin?.box ?? PhotoFaceBox(photo: photo, landmarks: landmarks, margin: margin),
              sampled.count == FaceMeshTopology.pointCount else { return skin }
        let region = Self.region(outline, sampled: sampled, box: box, sigma: feather * box.faceWidth)
        guard let locks = locks(in: photo, box: box, region: region) else { return skin }
        var cut = skin ?? PhotoHair.Skin(mask: AlphaMask(width: box.width, height: box.height, value: 1), box: box)
        for i in cut.mask.values.indices { cut.mask.values[i] = min(cut.mask.values[i], 1 - locks.values[i]) }
        return cut
    }
}
