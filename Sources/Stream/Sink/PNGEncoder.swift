import CFFmpeg
import Foundation

/// Encodes RGB images as PNG files with FFmpeg's PNG encoder.
public enum PNGEncoder {
    /// The PNG bytes of `image`.
    public static func encode(_ image: RGBImage) throws(StreamError) -> Data {
        let frame = AVFrameBox()
        frame.pointer.pointee.width = Int32(image.width)
        frame.pointer.pointee.height = Int32(image.height)
        frame.pointer.pointee.format = AV_PIX_FMT_RGB24.rawValue
        return try image.pixels.withUnsafeBufferPointer { pixels throws(StreamError) -> Data in
            // The encoder only reads the pixels during this call, so the frame can borrow them.
            frame.pointer.pointee.data.0 = UnsafeMutablePointer(mutating: pixels.baseAddress)
            frame.pointer.pointee.linesize.0 = Int32(image.rowBytes)
            defer { frame.pointer.pointee.data.0 = nil }
            return try StillEncoder.encode(frame.pointer, codec: AV_CODEC_ID_PNG, name: "png")
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
