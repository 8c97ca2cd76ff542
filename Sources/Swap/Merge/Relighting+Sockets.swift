import Imaging

extension Relighting {
    /// The eye sockets on a `width` × `height` grid (0…1): the hull of each brow's outline and the eye's below it
    /// (paired in order), feathered with σ `feather`. Rings are in the grid's coordinates; nil without a pair.
    ///
    /// The hull holds the brow, the socket under it and the lids: the features in it keep their own treatment
    /// (they are not skin), so in effect it is the skin between brow and eye.
    static func sockets(brows: [[SIMD2<Float>]], eyes: [[SIMD2<Float>]], width: Int, height: Int,
                        feather: Float) -> AlphaMask? {
        let pairs = zip(brows, eyes).filter { $0.count >= 3 && $1.count >= 3 }
        guard !pairs.isEmpty else { return nil }
        var zone = AlphaMask(width: width, height: height)
        for (brow, eye) in pairs { PolygonRasterizer.fill(ConvexHull.of(brow + eye), into: &zone) }
        zone.gaussianBlur(sigma: feather)
        return zone
    }

    /// `shade` (per cell, 0 where the face has no shading of its own) with the cells inside `sockets` (above ¼)
    /// that have none taking the mean of the known cells round them (Gaussian, σ 2 cells).
    ///
    /// A top-lit photo's socket shadow is far darker than its typical skin, so the shading estimate leaves it out
    /// like a feature; between the brow's and the eye's holes (each a cell wider than its outline) little of the
    /// socket is left, and in a wide-open eye's socket nothing (portrait_s2 on talk_woman_d10).
    static func filling(_ shade: [Float], in sockets: AlphaMask, width: Int, height: Int) -> [Float] {
        let holes = shade.indices.filter { shade[$0] <= 0 && sockets.values[$0] > 0.25 }
        guard !holes.isEmpty else { return shade }
        let known = AlphaMask(width: width, height: height, values: shade.map { $0 > 0 ? 1 : 0 })
        let around = NormalisedConvolution.average([shade], weight: known, sigma: 2) { i, values in values[i] }[0]
        var filled = shade
        for c in holes { filled[c] = around[c] }
        return filled
    }

    /// The cells (`cellSize` pixels on a `width` × `height` grid, 0 or 1) that are mostly skin by `skin` (pixels,
    /// 1 = skin), except within `reach` cells of the hull of `sparing` (pixels; none when empty).
    static func skinCells(_ skin: AlphaMask, cellSize: Int, width: Int, height: Int, sparing: [SIMD2<Float>],
                          grownBy reach: Float) -> AlphaMask {
        var cells = AlphaMask(width: width, height: height)
        let norm = 1 / Float(cellSize * cellSize)
        for y in 0..<skin.height {
            let row = (y / cellSize) * width
            for x in 0..<skin.width { cells.values[row + x / cellSize] += skin.values[y * skin.width + x] * norm }
        }
        let spared = sparing.count >= 3
            ? AlphaMask(width: width, height: height, placing: PolygonRasterizer.fill(
                [onCells(ConvexHull.of(sparing), toCell: 1 / Float(cellSize))], width: width, height: height,
                grownBy: Int(reach.rounded(.up))))
            : nil
        for c in cells.values.indices {
            cells.values[c] = cells.values[c] >= 0.5 && (spared?.values[c] ?? 0) == 0 ? 1 : 0
        }
        return cells
    }
}
