import ArgumentParser
import Stream

/// Where frames come from and how they are shaped, shared by every command that reads video.
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("i"), .long], help: "Input: a file, '-' for stdin, a URL (udp://, rtsp://, http://…), /dev/videoN, or lavfi:GRAPH.")
    var input: String

    @Option(help: "Force the input's demuxer (FFmpeg format name, like ffmpeg's -f before -i).")
    var demuxer: String?

    @Option(name: .customLong("input-size"), help: ArgumentHelp("Webcam: capture size to ask the device for.", valueName: "WxH"))
    var inputSize: String?

    @Option(name: .customLong("input-fps"), help: "Webcam: capture frame rate to ask the device for.")
    var inputFPS: Double?

    @Option(name: .customLong("input-format"), help: "Webcam: capture format to ask the device for (yuyv422, mjpeg, nv12, h264…; see 'facelive devices').")
    var inputFormat: String?

    @Option(help: ArgumentHelp("Read this video stream (numbered as 'facelive probe' lists them; default: the one ffmpeg picks).", valueName: "N"))
    var stream: Int?

    @Option(help: ArgumentHelp("Scale frames to this size.", valueName: "WxH"))
    var size: String?

    @Option(help: "Output frame rate: frames are duplicated or dropped to hold it.")
    var fps: Double?

    @Option(name: .customLong("max-frames"), help: "Stop after this many frames.")
    var maxFrames: Int?

    @Flag(help: "Live policy: never wait for the input, drop stale frames (automatic for devices and network streams).")
    var live = false

    @Flag(help: "Play a file at its own pace, like a camera (implies --live): for benchmarks and virtual cameras.")
    var realtime = false

    @Option(help: "Decoder and encoder threads (0 = automatic, at most 256). With 1 a file comes out byte for byte the same on every run; with more, x264's threaded rate control (its macroblock tree) can differ slightly from run to run.")
    var threads = 0

    @Option(name: .customLong("input-timeout"), help: ArgumentHelp("Network input: give up after this many seconds without data (0 = wait forever); a stream that stops mid-way ends the job, its output finished.", valueName: "SECONDS"))
    var inputTimeout = SourceOptions.defaultStallTimeout

    func validate() throws {
        if let size { _ = try FrameSize(parsing: size) }
        if let fps { try OptionRange.check(fps, "--fps", 0.01...1000) }
        if let inputFPS { try OptionRange.check(inputFPS, "--input-fps", 0.01...1000) }
        if let maxFrames { try OptionRange.check(maxFrames, "--max-frames", 1...1_000_000_000) }
        try OptionRange.check(threads, "--threads", 0...256)
        if let stream { try OptionRange.check(stream, "--stream", 0...9_999) }
        try OptionRange.check(inputTimeout, "--input-timeout", 0...86_400, unit: " s")
        if !(try captureSettings().isEmpty), !readsDevice {
            throw ValidationError("--input-size, --input-fps and --input-format apply to a webcam input (-i /dev/videoN)")
        }
    }

    private var readsDevice: Bool {
        if case .device = InputLocation(input) { return true }
        return false
    }

    func captureSettings() throws(StreamError) -> CaptureSettings {
        try CaptureSettings(size: inputSize, fps: inputFPS, format: inputFormat)
    }

    func sourceOptions() throws -> SourceOptions {
        var options = SourceOptions(size: try size.map { try FrameSize(parsing: $0) }, fps: fps, threads: threads)
        options.format = demuxer
        options.demuxerOptions = try captureSettings().demuxerOptions
        options.stallTimeout = inputTimeout > 0 ? inputTimeout : nil
        options.streamIndex = stream
        return options
    }
}
