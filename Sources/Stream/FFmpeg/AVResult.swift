import CFFmpeg

/// Helpers for FFmpeg's negative-errno return codes.
enum AVResult {
    /// FFmpeg's text for an error code.
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buffer, buffer.count)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Throws `.ffmpeg` when `code` is negative; returns it otherwise.
    @discardableResult
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(StreamError) -> Int32 {
        if code < 0 { throw .ffmpeg(operation: operation(), message: message(code)) }
        return code
    }
}

extension AVRational {
    /// The rational as a Double (0 for a zero denominator).
    var doubleValue: Double { den == 0 ? 0 : Double(num) / Double(den) }
}

/// Silences FFmpeg's own stderr chatter unless asked for; facelive reports problems itself.
public enum FFmpegLog {
    /// Sets libav's log level: `verbose` shows warnings, otherwise only fatal errors.
    public static func configure(verbose: Bool) {
        av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_FATAL)
    }
}
