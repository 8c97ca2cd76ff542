import Stream

extension RGBImage {
    /// A copy of the `width`×`height` region at (`x`, `y`), which must lie inside the image.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height, "crop outside the image")
        var out = RGBImage(width: width, height: height)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for row in 0..<height {
                    let from = src.baseAddress! + ((y + row) * self.width + x) * 3
                    (dst.baseAddress! + row * width * 3).update(from: from, count: width * 3)
                }
            }
        }
        return out
    }

    /// The `width`×`height` region at (`x`, `y`) as three float planes (R, G, B; 0–255, row-major), which must lie
    /// inside the image: the form normalised convolutions and masked averages work on.
    public func planes(x: Int, y: Int, width: Int, height: Int) -> [[Float]] {
        precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height, "region outside the image")
        let stride = self.width
        return pixels.withUnsafeBufferPointer { px in
            (0..<3).map { channel in
                [Float](unsafeUninitializedCapacity: width * height) { plane, count in
                    for row in 0..<height {
                        let from = px.baseAddress! + 3 * ((y + row) * stride + x) + channel
                        for column in 0..<width { plane[row * width + column] = Float(from[3 * column]) }
                    }
                    count = width * height
                }
            }
        }
    }
}
