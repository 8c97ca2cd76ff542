/// Picks the sink for an output name: `v4l2:PATH` and `/dev/videoN` (or `-f v4l2`) go to ``V4L2Sink``, PNG names
/// to ``ImageSink``, everything else to ``MediaSink``.
public enum SinkFactory {
    /// Opens the output; fails before any frame is processed if it cannot be written.
    /// `deviceFormat` is the pixel layout for a V4L2 output device.
    public static func open(_ output: String, video: VideoStreamInfo, audio: AudioTrack?,
                            settings: EncoderSettings, deviceFormat: V4L2PixelFormat = .yu12) throws(StreamError) -> any FrameSink {
        if let device = V4L2Sink.devicePath(for: output) ?? (settings.format == "v4l2" ? output : nil) {
            return try V4L2Sink(device, size: video.size, format: deviceFormat)
        }
        if settings.format == nil, ImageSink.handles(output) {
            return try ImageSink(output)
        }
        return try MediaSink(output, video: video, audio: audio, settings: settings)
    }
}
