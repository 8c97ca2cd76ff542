import CFFmpeg
import Foundation

/// Encodes RGB images as PNG files with FFmpeg's PNG encoder.
public enum PNGEncoder {
    /// The PNG bytes of `image`.
    public static func encode(_ image: RGBImage) throws(StreamError) -> Data {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else { throw .encoderUnavailable("png") }
        let encoder = CodecContext(codec)
        let ctx = encoder.pointer
        ctx.pointee.width = Int32(image.width)
        ctx.pointee.height = Int32(image.height)
        ctx.pointee.pix_fmt = AV_PIX_FMT_RGB24
        ctx.pointee.time_base = AVRational(num: 1, den: 25)
        try AVResult.check(encoder.open().code, "opening the PNG encoder")

        let frame = AVFrameBox()
        let packet = AVPacketBox()
        frame.pointer.pointee.width = Int32(image.width)
        frame.pointer.pointee.height = Int32(image.height)
        frame.pointer.pointee.format = AV_PIX_FMT_RGB24.rawValue
        return try image.pixels.withUnsafeBufferPointer { pixels throws(StreamError) -> Data in
            // The encoder only reads the pixels during this call, so the frame can borrow them.
            frame.pointer.pointee.data.0 = UnsafeMutablePointer(mutating: pixels.baseAddress)
            frame.pointer.pointee.linesize.0 = Int32(image.rowBytes)
            defer { frame.pointer.pointee.data.0 = nil }
            try AVResult.check(avcodec_send_frame(encoder.pointer, frame.pointer), "encoding PNG")
            try AVResult.check(avcodec_send_frame(encoder.pointer, nil), "encoding PNG")
            var data = Data()
            while avcodec_receive_packet(encoder.pointer, packet.pointer) >= 0 {
                data.append(packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
                av_packet_unref(packet.pointer)
            }
            return data
        }
    }

    /// Writes `image` to `path` as PNG, replacing an existing file only once the new one is complete.
    public static func write(_ image: RGBImage, to path: String) throws(StreamError) {
        try write(encode(image), to: path)
    }

    /// Writes encoded PNG bytes to `path` (staged: see ``StagedFile``).
    static func write(_ data: Data, to path: String) throws(StreamError) {
        let staged = StagedFile(path)
        do {
            try data.write(to: URL(fileURLWithPath: staged.path))
        } catch {
            staged.discard()
            throw .cannotOpenOutput(path, reason: (error as NSError).localizedFailureReason ?? "write failed")
        }
        try staged.commit()
    }
}
