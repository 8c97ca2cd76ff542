/// Burns a small visible label (e.g. "AI-altered") into the bottom-left corner of every frame.
public final class LabelStage: FrameProcessor {
    public let name = "label"
    private let text: String

    public init(text: String) {
        self.text = text
    }

    public func process(_ frame: VideoFrame) throws {
        let scale = max(1, frame.size.height / 360)
        let size = RGBImage.textSize(text, scale: scale)
        let margin = 4 * scale
        try frame.modifyImage { image in
            let y = image.height - size.height - 3 * margin
            image.fillRect(x: margin, y: y, width: size.width + 2 * margin, height: size.height + 2 * margin, (0, 0, 0))
            image.drawText(text, x: 2 * margin, y: y + margin, scale: scale, (255, 255, 255))
        }
    }
}
