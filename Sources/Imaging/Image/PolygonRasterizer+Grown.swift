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

extension AlphaMask {
    /// A `width`×`height` mask holding `placed` where it lies, 0 elsewhere (`placed` must lie inside).
    public init(width: Int, height: Int, placing placed: PlacedMask?) {
        self.init(width: width, height: height)
        if let placed { paste(placed.mask, x: placed.origin.x, y: placed.origin.y) }
    }

    /// The larger of the mask and `placed` where it lies (`placed` must lie inside).
    public mutating func formMaximum(with placed: PlacedMask) {
        let (w, local) = (width, placed.mask)
        precondition(placed.origin.x >= 0 && placed.origin.y >= 0 && placed.origin.x + local.width <= w
                     && placed.origin.y + local.height <= height, "placed mask outside the mask")
        for y in 0..<local.height {
            for x in 0..<local.width {
                let i = (placed.origin.y + y) * w + placed.origin.x + x
                values[i] = max(values[i], local.values[y * local.width + x])
            }
        }
    }
}
