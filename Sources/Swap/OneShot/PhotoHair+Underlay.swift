import Face
import Imaging
import Stream

extension PhotoHair {
    /// σs of the skin averages laid under the hair, widest first, as shares of the face width: the widest reaches
    /// across the cut's feather, the finest keeps the tone of the skin right beside it.
    static let underlaySigmas: [Float] = [0.08, 0.04, 0.02, 0.01]

    /// `photo` with all its hair laid under skin, drawn whole where a lifted cut reaches the photo's hairline
    /// (``MeshSwapper``): as ``underlay(_:skin:)``, but over the skin side of the cut's feather only (`skin` past its
    /// middle rescaled to 0…1). The feather's hair side holds the fringe's tips and the shadow they cast; the
    /// underlay mixed them in only partly, and drawn whole they lay across the new forehead as a dark line
    /// (talk_woman_d10 with the shipped photo as her brows rise: 5–8 levels darker than the skin round it).
    func hairless(_ photo: RGBImage, skin: Skin) -> RGBImage {
        var whole = skin
        whole.mask.values = skin.mask.values.map { max(0, 2 * $0 - 1) }
        return underlay(photo, skin: whole)
    }

    /// `photo` with its hair (where `skin` is below 1) replaced by the average of the skin round it, and brows,
    /// eyes and lips left out of that average.
    ///
    /// The cut fades the photo out over the hair mask's feather, and under that fade lay the fringe's own tips and
    /// highlights. The relighting divides the photo by its skin's shading, so those light strands came out as a
    /// bright line along the cut (across the glabella, where a fringe meets the brows). Over the underlay the
    /// fade runs from the photo's skin to the target's forehead.
    func underlay(_ photo: RGBImage, skin: Skin) -> RGBImage {
        let box = skin.box
        let (x0, y0, w, h, faceWidth) = (box.x0, box.y0, box.width, box.height, box.faceWidth)
        var weight = box.oval
        weight.cut(box.features(grownBy: browMargin))
        // Skin past the middle of the cut's feather: nearer the hair it holds the fringe's tips.
        for i in weight.values.indices where skin.mask.values[i] < 0.5 { weight.values[i] = 0 }

        let planes = photo.planes(x: x0, y: y0, width: w, height: h)
        // Coarse to fine: each finer average takes over where it has skin enough around it, so the fill meets the
        // skin beside it in its own tone and turns to the wider average deeper in.
        var average = planes
        for (k, share) in Self.underlaySigmas.enumerated() {
            let (planes, mass) = NormalisedConvolution.averageAndMass(planes, weight: weight, sigma: share * faceWidth) { i, v in v[i] }
            for i in mass.values.indices {
                let take = k == 0 ? 1 : min(1, 2 * mass.values[i])
                for c in 0..<3 { average[c][i] += take * (planes[c][i] - average[c][i]) }
            }
        }
        var out = photo
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let hair = 1 - skin.mask.values[i]
                guard hair > 0 else { continue }
                let p = photo[x0 + x, y0 + y]
                func mixed(_ own: UInt8, _ plane: Int) -> UInt8 {
                    UInt8(min(max((Float(own) + hair * (average[plane][i] - Float(own))).rounded(), 0), 255))
                }
                out[x0 + x, y0 + y] = (mixed(p.r, 0), mixed(p.g, 1), mixed(p.b, 2))
            }
        }
        return out
    }
}
