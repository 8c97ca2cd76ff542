import Stream

extension RGBImage {
    /// Box-filtered resampling: each output pixel averages the source pixels its footprint covers.
    package func boxResampled(to size: Int) -> [Float] {
        var out = [Float](repeating: 0, count: size * size * 3)
        let sx = Double(width) / Double(size), sy = Double(height) / Double(size)
        for y in 0..<size {
            let y0 = Int(Double(y) * sy), y1 = max(y0 + 1, min(height, Int((Double(y + 1) * sy).rounded(.up))))
            for x in 0..<size {
                let x0 = Int(Double(x) * sx), x1 = max(x0 + 1, min(width, Int((Double(x + 1) * sx).rounded(.up))))
                var sum = SIMD3<Float>()
                for yy in y0..<y1 {
                    for xx in x0..<x1 {
                        let p = self[xx, yy]
                        sum += SIMD3(Float(p.r), Float(p.g), Float(p.b))
                    }
                }
                let v = sum / Float((y1 - y0) * (x1 - x0) * 255)
                out[(y * size + x) * 3] = v.x; out[(y * size + x) * 3 + 1] = v.y; out[(y * size + x) * 3 + 2] = v.z
            }
        }
        return out
    }
}
