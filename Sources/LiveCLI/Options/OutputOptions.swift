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

    @Option(help: "x264 preset: ultrafast … veryslow.")
    var preset = "veryfast"

    @Option(help: "x264 tune (zerolatency is used for live input unless set).")
    var tune: String?

    @Option(name: .customLong("gop"), help: "Keyframe interval in frames.")
    var gop: Int?

    func validate() throws {
        guard (0...51).contains(crf) else { throw ValidationError("--crf must be between 0 and 51") }
        guard EncoderSettings.x264Presets.contains(preset) else {
            throw ValidationError("unknown --preset '\(preset)'; one of: \(EncoderSettings.x264Presets.joined(separator: ", "))")
        }
        if let tune, !EncoderSettings.x264Tunes.contains(tune) {
            throw ValidationError("unknown --tune '\(tune)'; one of: \(EncoderSettings.x264Tunes.joined(separator: ", "))")
        }
        if let gop, gop < 1 { throw ValidationError("--gop must be at least 1") }
    }

    func encoderSettings(live: Bool, threads: Int) -> EncoderSettings {
        var settings = EncoderSettings()
        settings.crf = crf
        settings.preset = preset
        settings.tune = tune ?? (live ? "zerolatency" : nil)
        settings.threads = threads
        settings.gopSize = gop
        settings.format = format
        return settings
    }
}
