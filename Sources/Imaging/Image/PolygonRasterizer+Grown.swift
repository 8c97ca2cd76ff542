extension PolygonRasterizer {
    /// `polygons` filled, grown by `grow` pixels (a max filter; negative shrinks) and feathered with σ `sigma`, on a
    /// `width`×`height` canvas, worked in the polygons' own box grown by as far as the growth and the feather reach
    /// (clamped to the canvas): a face's features cover a few percent of its image. nil when the box is off the
    /// canvas.
    public static func fill(_ polygons: [[SIMD2<Float>]], width: Int, height: Int, grownBy grow: Int,
                            feather sigma: Float = 0) -> PlacedMask? {
        let points = polygons.flatMap { $0 }
        guard !points.isEmpty else { return nil }
        let reach = Float(abs(grow)) + 3 * sigma + 2
        let box = BoundingBox(bounding: points)
        let x0 = max(0, Int((box.x - reach).rounded(.down))), y0 = max(0, Int((box.y - reach).rounded(.down)))
        let x1 = min(width - 1, Int((box.x + box.width + reach).rounded(.up)))
        let y1 = min(height - 1, Int((box.y + box.height + reach).rounded(.up)))
        guard x0 < x1, y0 < y1 else { return nil }
        var local = AlphaMask(width: x1 - x0 + 1, height: y1 - y0 + 1)
        for polygon in polygons { fill(polygon, into: &local, origin: SIMD2(x0, y0)) }
        local.erode(pixels: -grow)
        local.gaussianBlur(sigma: sigma)
        return PlacedMask(origin: SIMD2(x0, y0), mask: local)
    }
}
