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
    /// Bytes the encoder's own buffers should stay within (see ``X264Footprint``): x264 at its usual settings
    /// keeps the equivalent of ~75 pictures (230 MB at 1080p, 3.7 GB at 8K).
    public var memoryBudget = 160 << 20

    public init() {}

    /// x264's presets, for validating `--preset` before any work starts.
    public static let x264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                                     "slower", "veryslow", "placebo"]
    /// x264's tunes.
    public static let x264Tunes = ["film", "animation", "grain", "stillimage", "psnr", "ssim", "fastdecode",
                                   "zerolatency"]
}
