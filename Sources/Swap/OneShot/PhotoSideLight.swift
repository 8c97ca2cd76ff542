import Foundation
import Face
import Imaging
import Stream

/// Takes an identity photo's side light out once, when it is loaded: a face lit from one side carries a dark cheek
/// and a nose shadow on that side, which the relighting keeps as the photo's own modelling (it keeps everything
/// finer than its interior's σ 12 % of the face width) and so paints onto every target.
///
/// A face is close to symmetric; its light need not be. The photo's skin shading is compared with its mirror image
/// (the photo warped across the face's midline by the mesh, ``FaceMeshTopology/mirrored``): the symmetric part (the
/// geometric mean of the two) is the face's shape in light and stays, the antisymmetric part is the side light and
/// is divided out. A frontally lit photo is left nearly as it is.
struct PhotoSideLight: Sendable, Equatable {
    /// σ of the skin shading compared with its mirror, as a share of the face width: coarser than pores and
    /// freckles, fine enough for a nose's shadow.
    var scale: Float = 0.04
    /// Largest correction (× or ÷) at a pixel.
    var limit: Float = 2
    /// Growth of the feature outlines (brows, eyes, lips) left out of the shading, as a share of the face width.
    var featureMargin: Float = 0.02
    /// Asymmetry (median |log(own ÷ mirrored)| / 2 over the skin) up to which a photo counts as evenly lit and is
    /// left as it is (the mesh's own misregistration). Measured on the shared stills: the shipped photo 0.086,
    /// portraits 0.12–0.15, side-lit ones (portrait_s1, portrait_s12) 0.21–0.25.
    var evenLight: Float = 0.04
    /// Asymmetry from which the side light is taken out in full (smoothstep in between). The shipped photo's studio
    /// light comes a little from its right: beside its nose the sides differ by 0.33 in log luma, a shadow that the
    /// relighting painted, greyed, onto every target (talk_tpsmm, talk_may_5s); it is taken out at 0.85 here.
    var sideLight: Float = 0.10
    /// Width of the band inside the face oval over which the correction fades out, as a share of the face width
    /// (the mirror of the oval's edge may be background on a slightly turned photo).
    var borderFade: Float = 0.15

    /// `photo` with the side light of the face at `landmarks` (468 points, photo pixels) taken out.
    func apply(to photo: RGBImage, landmarks: [SIMD2<Float>]) -> RGBImage {
        // Work in the oval's box with room for the widest window.
        guard let box = PhotoFaceBox(photo: photo, landmarks: landmarks, margin: 3 * scale) else { return photo }
        let (x0, y0, w, h, faceWidth, local) = (box.x0, box.y0, box.width, box.height, box.faceWidth, box.local)
        let crop = photo.cropped(x: x0, y: y0, width: w, height: h)

        // The face mirrored onto itself: each triangle filled from its mirror triangle.
        let inside = box.oval
        var mirror = crop
        TriangleWarp.warp(crop, sourcePoints: FaceMeshTopology.mirrored.map { local[$0] },
                          triangles: FaceMeshTriangulation.triangles, targetPoints: local, into: &mirror, clip: inside)

        // Skin only: the oval without the features (symmetric, so the same on both).
        var skin = inside
        skin.cut(box.features(grownBy: featureMargin))
        let luma = { (image: RGBImage) -> [Float] in
            (0..<(w * h)).map { i in
                let p = image[i % w, i / w]
                return (Float(p.r) + Float(p.g) + Float(p.b)) / 3
            }
        }
        let shading = NormalisedConvolution.average([luma(crop), luma(mirror)], weight: skin,
                                                    sigma: scale * faceWidth) { _, _ in 0 }
        // How one-sided the light is: the median over the skin of |log(own ÷ mirrored)| / 2. The mesh's own
        // misregistration gives a frontally lit face some (the shipped photo 0.086); the correction fades in above.
        var asymmetry = [Float]()
        for i in 0..<(w * h) where skin.values[i] > 0.5 && shading[0][i] > 1 && shading[1][i] > 1 {
            asymmetry.append(abs(log(shading[1][i] / shading[0][i])) / 2)
        }
        guard !asymmetry.isEmpty else { return photo }
        asymmetry.sort()
        let strength = Ramp(from: evenLight, full: sideLight)(asymmetry[asymmetry.count / 2])
        guard strength > 0 else { return photo }
        // Full correction well inside the oval, none at its edge.
        var fade = inside
        let band = borderFade * faceWidth
        if band >= 1 {
            fade.erode(pixels: Int(band.rounded()))
            fade.gaussianBlur(sigma: band / 2)
            fade.multiply(by: inside)
        }
        var out = photo
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let f = fade.values[i]
                let (own, mirrored) = (shading[0][i], shading[1][i])
                guard f > 0, own > 1, mirrored > 1 else { continue }
                let gain = min(max(pow(mirrored / own, strength / 2), 1 / limit), limit)
                let k = 1 + f * (gain - 1)
                let p = crop[x, y]
                let v = (SIMD3(Float(p.r), Float(p.g), Float(p.b)) * k).rounded(.toNearestOrEven)
                    .clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                out[x0 + x, y0 + y] = (UInt8(v.x), UInt8(v.y), UInt8(v.z))
            }
        }
        return out
    }
}
