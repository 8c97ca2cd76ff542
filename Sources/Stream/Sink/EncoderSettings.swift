/// How video is encoded.
public struct EncoderSettings: Sendable, Equatable {
    /// FFmpeg encoder name; H.264 through libx264 by default.
    public var codec = "libx264"
    /// Constant rate factor (0 = lossless … 51); nil leaves the encoder's default.
    public var crf: Int? = 18
    /// x264 preset (`ultrafast` … `veryslow`).
    public var preset: String? = "veryfast"
    /// x264 tune (`zerolatency` for live output, `film`, `animation`…).
    public var tune: String?
    /// Encoder threads (0 = automatic).
    public var threads = 0
    /// Keyframe interval in frames (nil = encoder default).
    public var gopSize: Int?
    /// Container format name (`-f`): mp4, matroska, mov, mpegts, flv, nut…; nil = guess from the file name.
    public var format: String?
    /// Container metadata written to the output (e.g. the provenance tag).
    public var metadata: [String: String] = [:]
    /// Fragmented MP4/MOV: the file plays up to the last fragment even if the process is killed.
    public var fragmented = false

    public init() {}

    /// x264's presets, for validating `--preset` before any work starts.
    public static let x264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                                     "slower", "veryslow", "placebo"]
    /// x264's tunes.
    public static let x264Tunes = ["film", "animation", "grain", "stillimage", "psnr", "ssim", "fastdecode",
                                   "zerolatency"]
}
