import Face
import Imaging
import Stream

/// Where an identity photo's own hair (a fringe over the forehead and brows, locks at the temples) or a hat covers
/// the skin the one-shot swap takes from it: found once, when the photo is loaded.
///
/// The swap lays the photo's face inside ``SkinOutline`` onto the target; a fringe inside that outline would be
/// painted onto the target's forehead as a band of hair. Like a source-face mask in DeepFaceLab (XSeg), the hair is
/// left out: there the target's own forehead and brows stay.
///
/// Hair is what is not like the photo's cheek skin (far darker, or another colour) and reaches the face oval's
/// border through more of the same: brows, moles and eye shadows are unlike skin too, but skin lies between them
/// and the hairline. Only the part above the brows' centre line is searched.
struct PhotoHair: Sendable, Equatable {
    /// Luma below this share of the cheek skin's is not skin.
    var darkness: Float = 0.75
    /// Chroma distance (RGB ÷ luma, Euclidean) from the cheek skin's beyond which a pixel is not skin (blond or
    /// grey hair as light as the skin).
    var chromaDistance: Float = 0.2
    /// Radius of the closing that joins strands and highlights into one region, as a share of the face width.
    var closing: Float = 0.012
    /// Growth of the brow outlines kept out of the hair, as a share of the face width.
    var browMargin: Float = 0.025
    /// Share of hair just above a brow from which the brow counts as under a fringe.
    var underFringe: Float = 0.7
    /// Feather of the cut (Gaussian σ), as a share of the face width.
    var feather: Float = 0.03
    /// Below this share of the swapped outline's area no hair is reported: wisps at the hairline, which the
    /// relighting already leaves out of the shading, while a cut there would move the swap's upper edge (measured:
    /// the shipped photo's 1.4 % cost identity and colour at the border; a fringe like portrait_s1's covers 4.5 %).
    var minimumShare: Float = 0.025

    /// The photo's usable skin round its face: a mask over the face oval's box (1 = skin, 0 = hair, soft between).
    struct Skin: Sendable {
        var mask: AlphaMask
        /// Where the mask lies in the photo, with the landmarks in its coordinates.
        let box: PhotoFaceBox
        /// The landmarks in the mask's coordinates.
        var landmarks: [SIMD2<Float>] { box.local }
    }

    /// The photo's usable skin inside the face oval, or nil when the hair covers less than ``minimumShare`` of
    /// `outline`. The whole oval is searched, so the mask holds for any outline inside it.
    ///
    /// - Parameters:
    ///   - photo: the identity photo.
    ///   - landmarks: its face's 468 landmarks (photo pixels).
    ///   - outline: the region the swap takes from the photo.
    func skin(of photo: RGBImage, landmarks: [SIMD2<Float>], outline: SkinOutline) -> Skin? {
        search(photo, landmarks: landmarks, outline: outline).flatMap { $0.share >= minimumShare ? $0.skin : nil }
    }

    /// The search behind ``skin(of:landmarks:outline:)`` without its ``minimumShare``: the skin mask and the share
    /// of `outline` the hair covers (nil without a face to search).
    func search(_ photo: RGBImage, landmarks: [SIMD2<Float>], outline: SkinOutline) -> (skin: Skin, share: Float)? {
        // The oval's box with room for the closing and the feather's tails.
        guard let box = PhotoFaceBox(photo: photo, landmarks: landmarks, margin: closing + 3 * feather) else { return nil }
        let (w, h, faceWidth, local) = (box.width, box.height, box.faceWidth, box.local)
        let inside = box.oval
        guard inside.values.contains(where: { $0 > 0 }),
              let reference = CheekSkin(in: photo, landmarks: landmarks, faceWidth: faceWidth) else { return nil }

        // Above the brows' centre line (along the face's own up direction), unlike the cheek skin. Lower down, lid
        // shadows and eye make-up would join a fringe round the ends of the brows.
        let (browLine, up) = FaceMeshTopology.browLine(local)
        var unlike = AlphaMask(width: w, height: h)
        for y in 0..<h {
            for x in 0..<w where inside.values[y * w + x] > 0 {
                guard ((SIMD2(Float(x), Float(y)) - browLine) * up).sum() > 0 else { continue }
                let p = photo[box.x0 + x, box.y0 + y]
                let rgb = SIMD3(Float(p.r), Float(p.g), Float(p.b))
                let luma = rgb.sum() / 3
                let chroma = rgb.chroma
                let d = chroma - reference.chroma
                if luma < darkness * reference.luma || (d * d).sum().squareRoot() > chromaDistance {
                    unlike.values[y * w + x] = 1
                }
            }
        }
        let radius = max(1, Int((closing * faceWidth).rounded()))
        unlike.erode(pixels: -radius)
        unlike.erode(pixels: radius)
        unlike.multiply(by: inside)
        // A brow with skin above it is the photo's, even where a lock of hair touches it: without this, hair
        // reaching a brow would take the brow with it. A brow under a fringe (hair all along just above it) is
        // hair in the brow's shape, and goes with the fringe whole: the search above stops at the brows' centre
        // line, and the half left below it would lie under the target's own brows as a second, darker pair. With
        // both brows under it the glabella between them goes too, or the photo's would poke up between the
        // target's brows.
        let margin = max(1, Int((browMargin * faceWidth).rounded()))
        var brows = AlphaMask(width: w, height: h)
        var fringeBrows: [[SIMD2<Float>]] = []
        let lift = up * (browMargin + 0.02) * faceWidth
        for ring in [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing] {
            let brow = ring.map { local[$0] }
            var above = PolygonRasterizer.fill(brow.map { $0 + lift }, width: w, height: h)
            let grown = AlphaMask(width: w, height: h,
                                  placing: PolygonRasterizer.fill([brow], width: w, height: h, grownBy: margin))
            above.cut(grown)
            var hairAbove: Float = 0, total: Float = 0
            for i in above.values.indices where above.values[i] > 0 {
                total += 1
                hairAbove += unlike.values[i]
            }
            if total > 0, hairAbove >= underFringe * total {
                fringeBrows.append(brow)
            } else {
                brows.formUnion(grown)
            }
        }
        unlike.cut(brows)
        if let first = fringeBrows.first {
            // One brow: its own outline; both: their hull, glabella included.
            let outline = fringeBrows.count == 2 ? ConvexHull.of(fringeBrows.flatMap { $0 }) : first
            if let hairyBrows = PolygonRasterizer.fill([outline], width: w, height: h, grownBy: margin) {
                unlike.formUnion(hairyBrows)
            }
        }

        // Keep what reaches the oval's border (the hairline) through unlike pixels.
        var edge = inside
        edge.erode(pixels: 2)
        var hair = unlike.region(connectedTo: edge.values.indices.filter { edge.values[$0] == 0 })
        let swapped = PolygonRasterizer.fill(outline.polygon(on: local), width: w, height: h)
        var covered: Float = 0, swappedArea: Float = 0
        for i in swapped.values.indices where swapped.values[i] > 0 {
            swappedArea += 1
            covered += hair.values[i]
        }
        guard swappedArea > 0 else { return nil }
        hair.gaussianBlur(sigma: max(feather * faceWidth, 0.5))
        return (Skin(mask: AlphaMask(width: w, height: h, values: hair.values.map { 1 - min($0 * 2, 1) }), box: box),
                covered / swappedArea)
    }
}
