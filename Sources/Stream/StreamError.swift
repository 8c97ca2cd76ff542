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
    /// `--stream N` names no video stream of the input.
    case invalidStream(String, reason: String)
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
    /// A device node that does not exist (`/dev/video99`).
    case noSuchDevice(String)
    /// The path opened but does not answer V4L2 requests (a regular file, /dev/null…).
    case notAV4L2Device(String)
    /// A V4L2 device frames cannot be written to (a webcam rather than a v4l2loopback device).
    case notAnOutputDevice(String, card: String)
    /// The driver refused or changed the format asked for; `answer` is what it said instead.
    case deviceFormatRefused(String, requested: String, answer: String)
    /// The device went away while in use (unplugged, module unloaded).
    case deviceLost(String, reason: String)
    /// Any other failed device call.
    case deviceFailed(String, operation: String, reason: String)
    /// Writing to an open output failed (a closed pipe, a full disk).
    case writeFailed(String, reason: String)
    /// An output names one of the job's inputs: writing it would destroy the input.
    case outputIsInput(output: String, input: String)
    /// Two outputs of one job name the same file.
    case outputsCollide(String, String)
    /// A live input sent nothing for the stall timeout.
    case inputStalled(String, seconds: Double)
    /// A webcam capture option (`--input-size`, `--input-fps`, `--input-format`) that cannot be used.
    case invalidCaptureOption(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .inputNotFound(let path):
            return "input not found: \(path)"
        case .cannotOpenInput(let path, let reason):
            return "cannot open input \(path): \(reason)"
        case .noVideoStream(let path):
            return "no video stream in \(path)"
        case .invalidStream(let path, let reason):
            return "cannot read \(path): \(reason)"
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
        case .noSuchDevice(let path):
            return "no such device: \(path) ('facelive devices' lists the video devices)"
        case .notAV4L2Device(let path):
            return "not a V4L2 device: \(path)"
        case .notAnOutputDevice(let path, let card):
            return "not a video output device: \(path) (\(card)); write to a v4l2loopback device ('facelive devices' lists them)"
        case .deviceFormatRefused(let path, let requested, let answer):
            return "\(path) refused format \(requested): \(answer)"
        case .deviceLost(let path, let reason):
            return "device lost: \(path) (\(reason))"
        case .deviceFailed(let path, let operation, let reason):
            return "cannot \(operation) \(path): \(reason)"
        case .writeFailed(let name, let reason):
            return "cannot write \(name): \(reason)"
        case .outputIsInput(let output, let input):
            return "output \(output) is the input \(input): writing it would destroy the input; choose another output name"
        case .outputsCollide(let first, let second):
            return "\(second) is the same file as \(first): give each output its own name"
        case .inputStalled(let input, let seconds):
            return "no data from \(input) for \(Self.formatSeconds(seconds)) (is anything sending? --input-timeout sets the limit)"
        case .invalidCaptureOption(let name, let value, let reason):
            return "invalid \(name) '\(value)': \(reason)"
        }
    }

    /// What is wrong, without the name of the file: for messages that name the file in their own terms
    /// ("cannot use --face photo.png: …").
    public var reason: String {
        switch self {
        case .inputNotFound: return "no such file"
        case .cannotOpenInput(_, let reason), .invalidStream(_, let reason), .cannotOpenOutput(_, let reason),
             .writeFailed(_, let reason): return reason
        case .noVideoStream: return "it holds no picture"
        case .unsupportedCodec(_, let codec): return "no decoder for its codec '\(codec)'"
        case .noFramesDecoded: return "no picture could be decoded from it (truncated or corrupt?)"
        default: return description
        }
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e9 ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
