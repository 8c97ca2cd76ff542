/// Something that takes frames: an encoder/muxer, an image writer, a virtual camera.
public protocol FrameSink: AnyObject {
    /// Writes one frame. Frames arrive in presentation order.
    func write(_ frame: VideoFrame) throws(StreamError)
    /// Copies one compressed audio packet through (sinks without audio ignore it).
    func writeAudio(_ packet: AudioPacket) throws(StreamError)
    /// Flushes and closes the output so it plays. `complete` is false when the input was cut short
    /// (frame limit, interruption), so the sink trims audio to the video written. Safe to call twice.
    func finish(complete: Bool) throws(StreamError)
}

extension FrameSink {
    public func writeAudio(_ packet: AudioPacket) throws(StreamError) {}
}
