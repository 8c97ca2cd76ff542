/// Picks the sink for an output name: PNG names go to ``ImageSink``, everything else to ``MediaSink``.
public enum SinkFactory {
    /// Opens the output; fails before any frame is processed if it cannot be written.
    public static func open(_ output: String, video: VideoStreamInfo, audio: AudioTrack?,
                            settings: EncoderSettings) throws(StreamError) -> any FrameSink {
        if settings.format == nil, ImageSink.handles(output) {
            return try ImageSink(output)
        }
        return try MediaSink(output, video: video, audio: audio, settings: settings)
    }
}
