/// Simple drawing on images: annotations (`facelive detect`), labels, previews. Clipped to the image.
extension RGBImage {
    /// An RGB colour.
    public typealias Color = (r: UInt8, g: UInt8, b: UInt8)

    /// Sets one pixel if it lies inside the image.
    @inlinable public mutating func plot(_ x: Int, _ y: Int, _ color: Color) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        self[x, y] = color
    }

    /// Fills the rectangle [x, x+w) × [y, y+h).
    public mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, _ color: Color) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { self[xx, yy] = color } }
    }

    /// Outlines a rectangle with lines `thickness` pixels wide.
    public mutating func strokeRect(x: Int, y: Int, width w: Int, height h: Int, thickness: Int = 2, _ color: Color) {
        fillRect(x: x, y: y, width: w, height: thickness, color)
        fillRect(x: x, y: y + h - thickness, width: w, height: thickness, color)
        fillRect(x: x, y: y, width: thickness, height: h, color)
        fillRect(x: x + w - thickness, y: y, width: thickness, height: h, color)
    }

    /// A filled disc of `radius` pixels centred on (x, y).
    public mutating func fillCircle(x: Float, y: Float, radius: Float, _ color: Color) {
        let r2 = radius * radius
        let x0 = Int((x - radius).rounded(.down)), x1 = Int((x + radius).rounded(.up))
        let y0 = Int((y - radius).rounded(.down)), y1 = Int((y + radius).rounded(.up))
        guard x1 >= 0, y1 >= 0, x0 < width, y0 < height else { return }
        for yy in max(0, y0)...min(height - 1, y1) {
            for xx in max(0, x0)...min(width - 1, x1) {
                let dx = Float(xx) - x, dy = Float(yy) - y
                if dx * dx + dy * dy <= r2 { self[xx, yy] = color }
            }
        }
    }

    /// A straight line (Bresenham), `thickness` pixels wide.
    public mutating func drawLine(from a: SIMD2<Float>, to b: SIMD2<Float>, thickness: Int = 1, _ color: Color) {
        var x0 = Int(a.x.rounded()), y0 = Int(a.y.rounded())
        let x1 = Int(b.x.rounded()), y1 = Int(b.y.rounded())
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        let half = thickness / 2
        while true {
            if thickness <= 1 { plot(x0, y0, color) } else {
                fillRect(x: x0 - half, y: y0 - half, width: thickness, height: thickness, color)
            }
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
        }
    }

    /// Writes ASCII `text` with the 5×7 bitmap font, each font pixel `scale`×`scale`; top-left at (x, y).
    /// Characters outside ASCII 32…126 show as `?`.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 2, _ color: Color) {
        var penX = x
        for byte in text.utf8 {
            let code = (32...126).contains(byte) ? byte : UInt8(ascii: "?")
            let base = Int(code - BitmapFont.firstCharacter) * BitmapFont.glyphHeight
            for row in 0..<BitmapFont.glyphHeight {
                let bits = BitmapFont.rows[base + row]
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    fillRect(x: penX + column * scale, y: y + row * scale, width: scale, height: scale, color)
                }
            }
            penX += (BitmapFont.glyphWidth + 1) * scale
        }
    }

    /// The size `drawText` covers for `text` at `scale`.
    public static func textSize(_ text: String, scale: Int = 2) -> (width: Int, height: Int) {
        (text.utf8.count * (BitmapFont.glyphWidth + 1) * scale - scale, BitmapFont.glyphHeight * scale)
    }
}
