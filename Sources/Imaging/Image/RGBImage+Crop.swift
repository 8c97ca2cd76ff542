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
}
