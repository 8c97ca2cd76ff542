import Imaging
import Stream

/// A one-frame side-by-side picture — source | aligned | swapped | merged — written as PNG (`--preview out.png`).
public struct FacePreview: Sendable {
    public let path: String
    /// Height of each panel in pixels.
    public var panelHeight = 360

    public init(path: String) {
        self.path = path
    }

    func write(source: RGBImage, aligned: RGBImage, swapped: RGBImage, merged: RGBImage) throws {
        let panels = [source, aligned, swapped, merged].map { image in
            let width = max(2, Int((Float(image.width) * Float(panelHeight) / Float(image.height)).rounded()))
            let scale = AffineTransform2D(scale: Float(image.width) / Float(width), rotation: 0, translation: .zero)
            return ImageWarper.warp(image, width: width, height: panelHeight, outputToSource: scale)
        }
        var sheet = RGBImage(width: panels.reduce(0) { $0 + $1.width }, height: panelHeight)
        var x = 0
        for panel in panels {
            for row in 0..<panelHeight {
                let src = row * panel.rowBytes, dst = row * sheet.rowBytes + x * 3
                sheet.pixels.replaceSubrange(dst..<(dst + panel.rowBytes), with: panel.pixels[src..<(src + panel.rowBytes)])
            }
            x += panel.width
        }
        for (i, title) in ["source", "aligned", "swapped", "merged"].enumerated() {
            let left = panels[..<i].reduce(0) { $0 + $1.width }
            sheet.drawText(title, x: left + 6, y: 6, scale: 2, (255, 255, 0))
        }
        try PNGEncoder.write(sheet, to: path)
    }
}
