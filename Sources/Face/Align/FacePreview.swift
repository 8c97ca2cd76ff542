import Imaging
import Stream

/// A one-frame picture of titled panels side by side, written as PNG (`--preview out.png`): `run` shows
/// source | aligned | swapped | merged, `detect` the source and each face's aligned crop.
public struct FacePreview: Sendable {
    public let path: String
    /// Height of each panel in pixels.
    public var panelHeight = 360

    public init(path: String) {
        self.path = path
    }

    /// Writes `panels`, each scaled to ``panelHeight`` with its title in the top-left corner.
    package func write(_ panels: [(title: String, image: RGBImage)]) throws {
        let scaled = panels.map { panel in
            let image = panel.image
            let width = max(2, Int((Float(image.width) * Float(panelHeight) / Float(image.height)).rounded()))
            let scale = AffineTransform2D(scale: Float(image.width) / Float(width), rotation: 0, translation: .zero)
            return ImageWarper.warp(image, width: width, height: panelHeight, outputToSource: scale)
        }
        var sheet = RGBImage(width: scaled.reduce(0) { $0 + $1.width }, height: panelHeight)
        var lefts: [Int] = []
        for panel in scaled {
            let x = lefts.last.map { $0 + scaled[lefts.count - 1].width } ?? 0
            for row in 0..<panelHeight {
                let src = row * panel.rowBytes, dst = row * sheet.rowBytes + x * 3
                sheet.pixels.replaceSubrange(dst..<(dst + panel.rowBytes), with: panel.pixels[src..<(src + panel.rowBytes)])
            }
            lefts.append(x)
        }
        // Titles last, so a long one may run over the next panel.
        for (left, panel) in zip(lefts, panels) { sheet.drawText(panel.title, x: left + 6, y: 6, scale: 2, (255, 255, 0)) }
        try PNGEncoder.write(sheet, to: path)
    }
}
