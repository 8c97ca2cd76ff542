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
}
