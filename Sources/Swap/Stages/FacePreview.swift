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
        let sheet = Self.sideBySide([source, aligned, swapped, merged], titles: ["source", "aligned", "swapped", "merged"],
                                    height: panelHeight)
        try PNGEncoder.write(sheet, to: path)
    }

    /// `images` scaled to `height` and put side by side, each with its title (also the control panel's stages view).
    public static func sideBySide(_ images: [RGBImage], titles: [String], height panelHeight: Int) -> RGBImage {
        let panels = images.map { image in
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
        for (i, title) in titles.enumerated() where i < panels.count {
            let left = panels[..<i].reduce(0) { $0 + $1.width }
            sheet.drawText(title, x: left + 6, y: 6, scale: 2, (255, 255, 0))
        }
        return sheet
    }
}
