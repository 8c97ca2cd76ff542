import Stream

extension RGBImage {
    /// The Rec. 601 luma (0…1) of the `width` × `height` box at (`x`, `y`), which must lie inside the image.
    public func lumaPlane(x: Int, y: Int, width: Int, height: Int) -> AlphaMask {
        precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height, "box outside the image")
        var plane = AlphaMask(width: width, height: height)
        pixels.withUnsafeBufferPointer { p in
            plane.values.withUnsafeMutableBufferPointer { out in
                for row in 0..<height {
                    let source = p.baseAddress! + 3 * ((y + row) * self.width + x)
                    for col in 0..<width { out[row * width + col] = YCbCr.luma(at: source + 3 * col) / 255 }
                }
            }
        }
        return plane
    }
}
