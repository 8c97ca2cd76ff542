import ArgumentParser
import Stream

/// Where frames go and how they are encoded.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "Output: a file (.mp4 .mkv .mov .ts .flv .nut, .png for a still or frames/%06d.png), '-' for stdout, or a URL.")
    var output: String

    @Option(name: [.customShort("f"), .customLong("format")], help: "Output container (mp4, matroska, mov, mpegts, flv, nut…); default: from the file name.")
    var format: String?

    @Option(help: "x264 constant rate factor: 0 lossless … 51 worst.")
    var crf = 18

    @Option(help: "x264 preset: ultrafast … veryslow (default: veryfast for files, ultrafast for live input, where latency matters).")
    var preset: String?

    @Option(help: "x264 tune (zerolatency is used for live input unless set).")
    var tune: String?

    @Option(name: .customLong("gop"), help: "Keyframe interval in frames.")
    var gop: Int?

    @Option(help: ArgumentHelp("Target delay: frames leave this long after capture, at an even cadence; delay the microphone by the same amount (0 = as soon as ready).", valueName: "MS"))
    var delay = 0

    @Flag(help: "Fragmented MP4/MOV: a run that is killed still leaves a playable file (named NAME.partial-PID.mp4 until the run ends); .mkv and .ts need no flag.")
    var fragmented = false

    @Option(name: .customLong("v4l2-format"), help: "Pixel format for a V4L2 output device (-o v4l2:/dev/videoN): yu12 (I420) or yuyv.")
    var v4l2Format = "yu12"

    func validate() throws {
        try OptionRange.check(crf, "--crf", 0...51)
        if let preset, !EncoderSettings.x264Presets.contains(preset) {
            throw ValidationError("unknown --preset '\(preset)'; one of: \(EncoderSettings.x264Presets.joined(separator: ", "))")
        }
        if let tune, !EncoderSettings.x264Tunes.contains(tune) {
            throw ValidationError("unknown --tune '\(tune)'; one of: \(EncoderSettings.x264Tunes.joined(separator: ", "))")
        }
        if let gop { try OptionRange.check(gop, "--gop", 1...10_000) }
        try OptionRange.check(delay, "--delay", 0...5000, unit: " ms")
        guard V4L2PixelFormat(name: v4l2Format) != nil else {
            throw ValidationError("unknown --v4l2-format '\(v4l2Format)'; one of: yu12, yuyv")
        }
    }

    /// What the flags ask for.
    var destination: OutputDestination {
        OutputDestination(output: output, format: format, crf: crf, preset: preset, tune: tune, gop: gop, delay: delay,
                          devicePixelFormat: V4L2PixelFormat(name: v4l2Format) ?? .yu12, fragmented: fragmented)
    }
}

/// Where a job's frames go and how they are encoded: what ``OutputOptions`` parse to, or what a command that writes
/// on the side (`bench -o`, `detect -o`) sets directly.
struct OutputDestination {
    var output: String
    var format: String?
    var crf = 18
    /// nil: veryfast for files, ultrafast for live input.
    var preset: String?
    /// nil: zerolatency for live input.
    var tune: String?
    var gop: Int?
    /// Jitter-buffer delay in milliseconds (0 = off).
    var delay = 0
    var devicePixelFormat = V4L2PixelFormat.yu12
    /// Fragmented MP4/MOV (plays after a kill).
    var fragmented = false

    func encoderSettings(live: Bool, threads: Int) -> EncoderSettings {
        var settings = EncoderSettings()
        settings.crf = crf
        settings.preset = preset ?? (live ? "ultrafast" : "veryfast")
        settings.tune = tune ?? (live ? "zerolatency" : nil)
        settings.threads = threads
        settings.gopSize = gop
        settings.format = format
        settings.fragmented = fragmented
        return settings
    }
}
