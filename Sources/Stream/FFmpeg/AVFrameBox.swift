import CFFmpeg

/// Owns one `AVFrame` and frees it when released. The only way an `AVFrame*` travels between threads.
final class AVFrameBox: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() {
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = frame
    }

    /// Takes ownership of a frame allocated elsewhere (e.g. by `av_frame_clone`).
    init(adopting frame: UnsafeMutablePointer<AVFrame>) {
        pointer = frame
    }

    /// A frame with its own buffers of the given format and size.
    convenience init(format: AVPixelFormat, width: Int, height: Int) throws(StreamError) {
        self.init()
        pointer.pointee.format = format.rawValue
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        try AVResult.check(av_frame_get_buffer(pointer, 0), "allocating a \(width)x\(height) frame")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }
    var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }
}

/// Owns one `AVPacket` (compressed data travelling from demuxer to muxer).
final class AVPacketBox: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    /// Takes over the references of `packet`, leaving it blank for reuse.
    convenience init(moving packet: UnsafeMutablePointer<AVPacket>) {
        self.init()
        av_packet_move_ref(pointer, packet)
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

extension AVPixelFormat {
    /// FFmpeg's name for the format (`yuv420p`, `rgb24`…).
    var name: String {
        guard let cName = av_get_pix_fmt_name(self) else { return "unknown" }
        return String(cString: cName)
    }
}
