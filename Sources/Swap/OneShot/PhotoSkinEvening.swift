import Face
import Imaging
import Stream

/// Evens out the skin of an identity photo once, when it is loaded: its chroma variation (freckles, ruddy cheeks,
/// blotches) and most of its mid-frequency luma variation, inside the face oval, away from the features and from
/// the oval's border.
///
/// The relighting gives the new face the target's shading at a scale of a few percent of the face width and keeps
/// everything finer as the photo's detail. A photo's freckles and blotches are finer than that, and once the photo
/// is enlarged onto the target (the shipped one ≈ 3×) they read as brown patches on a pale target. What makes the
/// face the photo's person — brows, eyes, lips, a beard or moustache, the face's shape — is left alone: the
/// feature outlines (grown) and whatever is far darker than the skin around it are not skin here.
///
/// Per skin pixel, with Y the luma and c = RGB ÷ Y the chroma:
/// - chroma: c → c̄ + `chromaKeep` · (c − c̄), c̄ the skin's chroma averaged over a wide window (normalised
///   convolution over skin only);
/// - luma: the band between the finest detail (σ `fineSigma`) and the skin's shading (σ `scale` × face width) is
///   kept at `lumaKeep`; the finest detail (pores, fine lines) and the shading itself are kept whole.
struct PhotoSkinEvening: Sendable, Equatable {
    /// Share of the skin's chroma variation kept.
    var chromaKeep: Float = 0
    /// Share of the skin's mid-frequency luma variation kept.
    var lumaKeep: Float = 0.35
    /// σ (photo pixels) of the finest luma detail, kept whole.
    var fineSigma: Float = 0.8
    /// σ of the skin's luma shading, as a share of the face width (larger than the relighting's 3.5 %: the photo's
    /// lid and cheek shadows, enlarged, are wider than that).
    var scale: Float = 0.06
    /// σ of the skin's averaged chroma, as a share of the face width.
    var chromaScale: Float = 0.12
    /// Growth of the feature outlines (brows, eyes, lips), as a share of the face width: lashes, liner, lip edges.
    var featureMargin: Float = 0.03
    /// Growth of the eye outlines, as a share of the face width: narrower, so the photo's shadow under the lower lid
    /// (a dark band once enlarged) is evened too.
    var eyeMargin: Float = 0.01
    /// Width of the band inside the face's outline left as it is, as a share of the face width: the relighting
    /// matches the new face's border to the target's skin around it from the photo's own tones there. Narrow: a
    /// ruddy cheek near the photo's edge, stretched over a turned target's cheek, is relit into a grey smudge
    /// (portrait_s1 on talk_studio_1 with 15 %; docs/BENCHMARKS.md, "Session 21").
    var borderMargin: Float = 0.02
    /// Luma below this share of the skin around it is a feature (beard, moustache, nostril, a crease), not skin.
    var featureDarkness: Float = 0.7
    /// How far such a dark feature's hold reaches into the skin around it (grown, then feathered as far), as a share
    /// of the face width.
    var featureSoftening: Float = 0.015

    /// `photo` with the skin of the face at `landmarks` (468 points, photo pixels) evened out.
    func apply(to photo: RGBImage, landmarks: [SIMD2<Float>]) -> RGBImage {
        // Work in the oval's box with room for the widest window.
        guard let box = PhotoFaceBox(photo: photo, landmarks: landmarks, margin: 3 * chromaScale) else { return photo }
        let (x0, y0, w, h, faceWidth) = (box.x0, box.y0, box.width, box.height, box.faceWidth)

        // Luma and chroma of the box.
        var luma = [Float](repeating: 0, count: w * h)
        var chroma = [SIMD3<Float>](repeating: .one, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let p = photo[x0 + x, y0 + y]
                let rgb = SIMD3(Float(p.r), Float(p.g), Float(p.b))
                luma[y * w + x] = rgb.sum() / 3
                chroma[y * w + x] = rgb.chroma
            }
        }

        // Skin: the oval, less the grown features, less what is far darker than the skin around it.
        var skin = box.oval
        let band = borderMargin * faceWidth
        if band >= 1 {
            skin.erode(pixels: Int(band.rounded()))
            skin.gaussianBlur(sigma: band / 2)
        }
        for (rings, margin) in [([FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing,
                                  FaceMeshTopology.outerLips], featureMargin),
                                ([FaceMeshTopology.rightEye, FaceMeshTopology.leftEye], eyeMargin)] {
            skin.cut(box.features(rings, grownBy: margin))
        }
        let around = Self.normalised([luma], weight: skin, sigma: chromaScale * faceWidth)[0]
        var dark = AlphaMask(width: w, height: h)
        for i in skin.values.indices where skin.values[i] > 0 {
            let ratio = luma[i] / max(around[i], 1)
            dark.values[i] = 1 - min(max((ratio - featureDarkness) / 0.1, 0), 1)
        }
        // A dark feature keeps its own fall-off into the skin: evening the skin right up to its core would lift its
        // half-dark rim and leave the core as a crisp outline (a photo's nose-side and lid shadows, enlarged onto
        // the target, read as smudges).
        let soft = Int((featureSoftening * faceWidth).rounded())
        if soft >= 1 {
            let core = dark
            dark.erode(pixels: -soft)
            dark.gaussianBlur(sigma: Float(soft))
            dark.formUnion(core)
        }
        skin.cut(dark)
        // A soft edge, inside the skin: nothing outside it changes.
        let hard = skin
        skin.erode(pixels: 1)
        skin.gaussianBlur(sigma: 1)
        skin.multiply(by: hard)

        // Luma: finest detail and shading whole, the band between them damped.
        let shading = Self.normalised([luma], weight: skin, sigma: scale * faceWidth)[0]
        var fine = AlphaMask(width: w, height: h, values: luma)
        fine.gaussianBlur(sigma: fineSigma, clamped: false)
        let tone = Self.normalised((0..<3).map { k in chroma.map { $0[k] } }, weight: skin, sigma: chromaScale * faceWidth)

        var out = photo
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let m = skin.values[i]
                guard m > 0 else { continue }
                let band = fine.values[i] - shading[i]
                let l = max(0, luma[i] - m * (1 - lumaKeep) * band)
                let mean = SIMD3(tone[0][i], tone[1][i], tone[2][i])
                let c = chroma[i] + m * (1 - chromaKeep) * (mean - chroma[i])
                let rgb = (c * l).rounded(.toNearestOrEven)
                let v = rgb.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                out[x0 + x, y0 + y] = (UInt8(v.x), UInt8(v.y), UInt8(v.z))
            }
        }
        return out
    }

    /// Normalised convolution of each plane: the value itself where the weight around is negligible.
    private static func normalised(_ planes: [[Float]], weight: AlphaMask, sigma: Float) -> [[Float]] {
        NormalisedConvolution.average(planes, weight: weight, sigma: sigma) { i, values in values[i] }
    }
}
