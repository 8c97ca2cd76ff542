import ArgumentParser
import Stream

/// Where frames come from and how they are shaped, shared by every command that reads video.
struct InputOptions: ParsableArguments {
    @Option(name: [.customShort("i"), .long], help: "Input: a file, '-' for stdin, a URL (udp://, rtsp://, http://…), /dev/videoN, or lavfi:GRAPH.")
    var input: String

    @Option(name: .customLong("input-format"), help: "Force the input format (FFmpeg demuxer name).")
    var inputFormat: String?

    @Option(help: ArgumentHelp("Scale frames to this size.", valueName: "WxH"))
    var size: String?

    @Option(help: "Output frame rate: frames are duplicated or dropped to hold it.")
    var fps: Double?

    @Option(name: .customLong("max-frames"), help: "Stop after this many frames.")
    var maxFrames: Int?

    @Flag(help: "Live policy: never wait for the input, drop stale frames (automatic for devices and network streams).")
    var live = false

    @Option(help: "Decoder and encoder threads (0 = automatic).")
    var threads = 0

    func validate() throws {
        if let size { _ = try FrameSize(parsing: size) }
        if let fps, !(fps > 0 && fps <= 1000) { throw ValidationError("--fps must be between 0 and 1000") }
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1") }
        if threads < 0 { throw ValidationError("--threads must be 0 or more") }
    }

    func sourceOptions() throws -> SourceOptions {
        var options = SourceOptions(size: try size.map { try FrameSize(parsing: $0) }, fps: fps, threads: threads)
        options.format = inputFormat
        return options
    }
}
