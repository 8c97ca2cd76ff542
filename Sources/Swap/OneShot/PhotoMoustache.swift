import Face
import Imaging
import Stream

/// How much of a photo's skin above the upper lip is hair (a moustache): the darker quarter of the skin ring along
/// that lip against the skin's brightness (``LipSurround/bareShare(_:upper:skinLuma:)``). The merger keeps that
/// share of the moustache's contrast when it tones a photo's detail down to the target's
/// (``Relighting/moustacheMargin``): without it a moustache is toned like a shadow of the photo's light and turns
/// into a grey smudge (portrait_s12 on talk_studio_1).
///
/// Measured once per photo, so the share does not change from frame to frame.
struct PhotoMoustache: Sendable, Equatable {
    /// 0 (bare skin above the upper lip) … 1 (a moustache); 0 when the face is too small to tell.
    func share(of photo: RGBImage, landmarks points: [SIMD2<Float>]) -> Float {
        guard points.count == FaceMeshTopology.pointCount else { return 0 }
        let faceWidth = FaceMeshTopology.ovalWidth(points)
        guard faceWidth >= 16,
              let around = LipSurround(outer: FaceMeshTopology.outerLips.map { points[$0] },
                                       inner: FaceMeshTopology.innerLips.map { points[$0] }, faceWidth: faceWidth,
                                       margin: 0, canvas: (photo.width, photo.height))
        else { return 0 }
        let luma = around.luma(of: photo)
        return 1 - around.bareShare(luma, upper: true, skinLuma: around.skinLuma(luma))
    }
}
