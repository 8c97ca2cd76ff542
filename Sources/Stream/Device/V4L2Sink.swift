/// Writes frames to a V4L2 output device — in practice a v4l2loopback virtual camera that OBS, browsers and
/// video-call programs read like a webcam.
///
/// Opening checks that the node is a video output device and sets its format (YU12 by default, or YUYV) to the
/// frame size; a driver that refuses or changes it is an error before any frame is processed. Each frame is
/// then one `write()` of packed pixels.
public final class V4L2Sink: FrameSink {
    /// The device path written to.
    public let path: String
    /// The format the device agreed to.
    public let format: V4L2PixelFormat
    public private(set) var framesWritten = 0
    /// False once ``finish(complete:)`` has closed the device.
    public var isOpen: Bool { device != nil }

    private var device: V4L2Device?
    private var packer: V4L2FramePacker

    /// Opens the device node at `path` for frames of `size`.
    public convenience init(_ path: String, size: FrameSize, format: V4L2PixelFormat = .yu12) throws(StreamError) {
        try self.init(device: V4L2Device.open(path), size: size, format: format)
    }

    /// Negotiates on an already opened device (the seam tests use with a fake device).
    init(device: V4L2Device, size: FrameSize, format: V4L2PixelFormat) throws(StreamError) {
        path = device.path
        self.format = format
        let capabilities = try device.capabilities()
        guard capabilities.isVideoOutput, !capabilities.isMemoryToMemory else {
            throw .notAnOutputDevice(device.path, card: capabilities.card.isEmpty ? capabilities.driver : capabilities.card)
        }
        let requested = V4L2OutputFormat(format, size: size)
        let answer = try device.setOutputFormat(requested)
        guard answer.accepts(requested) else {
            throw .deviceFormatRefused(device.path, requested: requested.description, answer: "it answered \(answer)")
        }
        self.device = device
        packer = V4L2FramePacker(format: format, size: size)
    }

    /// Output names this sink handles: `v4l2:PATH` (any path) and bare `/dev/videoN`.
    public static func devicePath(for output: String) -> String? {
        if output.hasPrefix("v4l2:") { return String(output.dropFirst("v4l2:".count)) }
        if output.hasPrefix("/dev/video") { return output }
        return nil
    }

    public func write(_ frame: VideoFrame) throws(StreamError) {
        guard let device else { return }
        let picture = try frame.encoderFrame()
        let bytes = packer.pack(picture)
        try device.write(bytes)
        framesWritten += 1
    }

    /// Closes the device. A virtual camera needs no trailer: readers simply see no new frames.
    public func finish(complete: Bool) throws(StreamError) {
        device = nil
    }
}
