import Foundation
import Testing
@testable import Stream

@Suite("Drawing on images")
struct DrawingTests {
    @Test("text lands inside its reported box and nowhere else")
    func textStaysInItsBox() {
        var image = RGBImage(width: 200, height: 40)
        let text = "facelive 0.1 (AI)"
        image.drawText(text, x: 10, y: 8, scale: 2, (255, 255, 255))
        let size = RGBImage.textSize(text, scale: 2)
        var inside = 0
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y].r == 255 {
                #expect(x >= 10 && x < 10 + size.width && y >= 8 && y < 8 + size.height, "lit pixel at \(x),\(y)")
                inside += 1
            }
        }
        #expect(inside > 100, "glyphs were drawn")
    }

    @Test("a glyph matches the font: 'A' has a hole and two legs")
    func glyphShape() {
        var image = RGBImage(width: 5, height: 7)
        image.drawText("A", x: 0, y: 0, scale: 1, (255, 0, 0))
        let rows = (0..<7).map { y in String((0..<5).map { image[$0, y].r == 255 ? "#" : "." }) }
        #expect(rows[3] == "####.", "crossbar: \(rows)")
        #expect(rows[5] == "#..#.", "legs: \(rows)")
    }

    @Test("lines, rectangles and circles are clipped, never out of bounds")
    func clipping() {
        var image = RGBImage(width: 20, height: 10)
        image.drawLine(from: SIMD2(-50, -50), to: SIMD2(70, 60), thickness: 3, (0, 255, 0))
        image.strokeRect(x: -5, y: -5, width: 40, height: 40, (0, 0, 255))
        image.fillCircle(x: 19, y: 9, radius: 6, (255, 0, 0))
        #expect(image.pixels.contains { $0 != 0 })
    }
}

