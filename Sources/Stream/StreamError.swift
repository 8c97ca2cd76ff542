/// Everything that can go wrong while reading, converting or writing media.
///
/// Each case renders as one line that names the file or option at fault, so the CLI can print it as is.
public enum StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input path does not exist.
    case inputNotFound(String)
    /// FFmpeg could not open or parse the input.
    case cannotOpenInput(String, reason: String)
    /// The input has no video stream.
    case noVideoStream(String)
    /// No decoder for the input's video codec.
    case unsupportedCodec(String, codec: String)
    /// The input opened but not a single frame could be decoded.
    case noFramesDecoded(String)
    /// The output's container could not be guessed from its name, or `-f` named an unknown one.
    case unknownOutputFormat(String)
    /// The output could not be created (missing folder, permissions, refused URL…).
    case cannotOpenOutput(String, reason: String)
    /// The named encoder is missing from this FFmpeg build.
    case encoderUnavailable(String)
    /// An encoder option was rejected.
    case invalidEncoderOption(name: String, value: String)
    /// A `WxH` size that cannot be used.
    case invalidSize(String, reason: String)
    /// Any other FFmpeg call that failed.
    case ffmpeg(operation: String, message: String)

    public var description: String {
        switch self {
        case .inputNotFound(let path):
            return "input not found: \(path)"
        case .cannotOpenInput(let path, let reason):
            return "cannot open input \(path): \(reason)"
        case .noVideoStream(let path):
            return "no video stream in \(path)"
        case .unsupportedCodec(let path, let codec):
            return "no decoder for codec '\(codec)' in \(path)"
        case .noFramesDecoded(let path):
            return "no video frame could be decoded from \(path) (truncated or corrupt?)"
        case .unknownOutputFormat(let path):
            return "unknown output format for \(path): use an extension (.mp4 .mkv .mov .ts .flv .nut .png) or -f FORMAT"
        case .cannotOpenOutput(let path, let reason):
            return "cannot write output \(path): \(reason)"
        case .encoderUnavailable(let name):
            return "encoder '\(name)' is not available in this FFmpeg build"
        case .invalidEncoderOption(let name, let value):
            return "encoder rejected option \(name)=\(value)"
        case .invalidSize(let text, let reason):
            return "invalid size '\(text)': \(reason)"
        case .ffmpeg(let operation, let message):
            return "\(operation) failed: \(message)"
        }
    }
}
