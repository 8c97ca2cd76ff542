import CFFmpeg
import Foundation

/// Encodes RGB images as JPEG with FFmpeg's mjpeg encoder, scaled down on the way (previews).
public struct JPEGEncoder: Sendable {
    /// Widest picture produced; wider images are scaled down, keeping their aspect.
    public var maxWidth: Int
    /// FFmpeg's JPEG quantiser scale, 2 (best) … 31 (smallest).
    public var quality: Int
    private let converter = PixelConverter()

    public init(maxWidth: Int = 640, quality: Int = 5) {
        self.maxWidth = maxWidth
        self.quality = quality
    }

    /// The JPEG bytes of `image`, at most ``maxWidth`` wide.
    public func encode(_ image: RGBImage) throws(StreamError) -> Data {
        var width = image.width, height = image.height
        if width > maxWidth {
            height = max(2, Int((Double(height) * Double(maxWidth) / Double(width)).rounded()))
            width = maxWidth
        }
        // 4:2:0 wants even sides.
        let size = FrameSize(width: max(2, width & ~1), height: max(2, height & ~1))
        let frame = try converter.frame(from: image, format: AV_PIX_FMT_YUVJ420P, size: size)
        let qscale = Int32(min(31, max(2, quality)))
        return try StillEncoder.encode(frame.pointer, codec: AV_CODEC_ID_MJPEG, name: "jpeg") { ctx in
            ctx.pointee.flags |= AV_CODEC_FLAG_QSCALE
            ctx.pointee.global_quality = qscale * FF_QP2LAMBDA
            ctx.pointee.color_range = AVCOL_RANGE_JPEG
        }
    }
}
