import Stream

/// A preview image: one row per sample, columns source, source→source, destination, destination→destination,
/// destination→source (the swap).
enum PreviewGrid {
    static func render(resolution: Int, rows: Int, columns: [(Int) -> UnsafePointer<Float>]) -> RGBImage {
        var image = RGBImage(width: resolution * columns.count, height: resolution * rows)
        for row in 0..<rows {
            for (column, tile) in columns.enumerated() {
                let pixels = tile(row)
                for y in 0..<resolution {
                    for x in 0..<resolution {
                        let o = ((row * resolution + y) * image.width + column * resolution + x) * 3
                        for c in 0..<3 {
                            image.pixels[o + c] = UInt8(max(0, min(255, (pixels[(y * resolution + x) * 3 + c] * 255).rounded())))
                        }
                    }
                }
            }
        }
        return image
    }
}
