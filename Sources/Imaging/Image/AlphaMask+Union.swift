extension AlphaMask {
    /// A `width`×`height` mask holding `placed` where it lies, 0 elsewhere (`placed` must lie inside).
    public init(width: Int, height: Int, placing placed: PlacedMask?) {
        self.init(width: width, height: height)
        if let placed { paste(placed.mask, x: placed.origin.x, y: placed.origin.y) }
    }

    /// The larger of the two masks per pixel (adds `other` to what the mask covers).
    public mutating func formUnion(_ other: AlphaMask) {
        precondition(other.width == width && other.height == height, "mask sizes differ")
        values.withUnsafeMutableBufferPointer { m in
            other.values.withUnsafeBufferPointer { o in
                for i in m.indices { m[i] = max(m[i], o[i]) }
            }
        }
    }

    /// The larger of the mask and `placed` where it lies (`placed` must lie inside).
    public mutating func formUnion(_ placed: PlacedMask) {
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

    /// Multiplies by `1 − other` (cuts `other` out of the mask).
    public mutating func cut(_ other: AlphaMask) {
        precondition(other.width == width && other.height == height, "mask sizes differ")
        values.withUnsafeMutableBufferPointer { m in
            other.values.withUnsafeBufferPointer { o in
                for i in m.indices { m[i] *= 1 - o[i] }
            }
        }
    }
}
