import Stream

extension RGBImage {
    /// This image scaled to `width`×`height` (bilinear, pixel centres to pixel centres); self when already that size.
    public func resized(width: Int, height: Int) -> RGBImage {
        if width == self.width && height == self.height { return self }
        let sx = Float(self.width) / Float(width), sy = Float(self.height) / Float(height)
        let m = AffineTransform2D(a: sx, b: 0, tx: 0.5 * sx - 0.5, c: 0, d: sy, ty: 0.5 * sy - 0.5)
        return ImageWarper.warp(self, width: width, height: height, outputToSource: m)
    }
}
