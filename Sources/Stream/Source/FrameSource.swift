/// Something that yields video frames: a file, a URL, a device, a test pattern.
public protocol FrameSource: AnyObject, Sendable {
    /// The video stream being read, after any `--size`/`--fps` the source applies.
    var video: VideoStreamInfo { get }
    /// The audio stream to copy through to the output, if the input has one.
    var audio: AudioTrack? { get }
    /// True for cameras and network streams: frames arrive in real time and must not be waited for.
    var isLive: Bool { get }
    /// Called (on the reading thread) with each audio packet met while reading video.
    var audioHandler: (@Sendable (AudioPacket) -> Void)? { get set }
    /// The next frame, or nil at the end of the input.
    func nextFrame() throws(StreamError) -> VideoFrame?
    /// Asks a blocked ``nextFrame()`` to return nil soon. Safe from any thread.
    func stop()
}

/// What a source says about its video stream.
public struct VideoStreamInfo: Sendable, Codable, Equatable {
    /// Codec name (`h264`, `rawvideo`…).
    public var codec: String
    /// Size of the frames the source yields.
    public var width: Int
    public var height: Int
    /// Size as decoded, before any scaling.
    public var sourceWidth: Int
    public var sourceHeight: Int
    /// Pixel format as decoded (`yuv420p`…).
    public var pixelFormat: String
    /// Nominal frames per second.
    public var frameRate: Double
    /// Duration in seconds, when known.
    public var duration: Double?
    /// Frame count from the container, when it says.
    public var frameCount: Int?
    /// The time base of frame timestamps, as num/den.
    public var timeBaseNum: Int32
    public var timeBaseDen: Int32
    /// Colour tags (FFmpeg enum raw values) copied to the output.
    public var colorPrimaries: UInt32 = 2
    public var colorTransfer: UInt32 = 2
    public var colorSpace: UInt32 = 2

    public var size: FrameSize { FrameSize(width: width, height: height) }
}
