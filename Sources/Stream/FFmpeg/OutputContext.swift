import CFFmpeg

/// Owns one muxer (`AVFormatContext` for output) and the file it writes: the file is closed and the context
/// freed when released, so no error path frees by hand.
final class OutputContext {
    let pointer: UnsafeMutablePointer<AVFormatContext>

    /// A muxer for `url`, chosen by `format` (`-f`) or else by the name's extension; nil when neither names
    /// a muxer.
    init?(format: String?, url: String) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&context, nil, format, url) >= 0, let context else { return nil }
        pointer = context
    }

    /// A muxer of the given kind with no destination (for trials written to memory).
    init?(_ format: UnsafePointer<AVOutputFormat>) {
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&context, format, nil, nil) >= 0, let context else { return nil }
        pointer = context
    }

    deinit {
        closeFile()
        avformat_free_context(pointer)
    }

    /// What the muxer writes.
    var format: UnsafePointer<AVOutputFormat> { pointer.pointee.oformat }

    /// Whether the muxer writes through a file FFmpeg opens (false for muxers that handle their own I/O).
    var needsFile: Bool { format.pointee.flags & AVFMT_NOFILE == 0 }

    /// Opens `url` for writing when the muxer needs a file; returns FFmpeg's result code.
    func openFile(_ url: String) -> Int32 {
        guard needsFile else { return 0 }
        return avio_open(&pointer.pointee.pb, url, AVIO_FLAG_WRITE)
    }

    /// Closes the file (flushing it), if one is open; later calls do nothing.
    func closeFile() {
        if needsFile { avio_closep(&pointer.pointee.pb) }
    }

    /// Adds a stream; its parameters are for the caller to fill in.
    func addStream() -> UnsafeMutablePointer<AVStream> {
        guard let stream = avformat_new_stream(pointer, nil) else { fatalError("avformat_new_stream: out of memory") }
        return stream
    }

    /// Whether the muxer starts with its streams as they are: writes the header to memory and throws it away.
    func writesHeaderToMemory() -> Bool {
        guard avio_open_dyn_buf(&pointer.pointee.pb) >= 0 else { return false }
        defer {
            var buffer: UnsafeMutablePointer<UInt8>?
            avio_close_dyn_buf(pointer.pointee.pb, &buffer)
            av_free(buffer)
            pointer.pointee.pb = nil
        }
        return avformat_write_header(pointer, nil) >= 0
    }
}
