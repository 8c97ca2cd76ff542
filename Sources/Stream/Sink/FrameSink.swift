/// Something that takes frames: an encoder/muxer, an image writer, a virtual camera.
public protocol FrameSink: AnyObject {
    /// Writes one frame. Frames arrive in presentation order.
    func write(_ frame: VideoFrame) throws(StreamError)
    /// Copies one compressed audio packet through (sinks without audio ignore it).
    func writeAudio(_ packet: AudioPacket) throws(StreamError)
    /// Flushes and closes the output so it plays. `complete` is false when the input was cut short
    /// (frame limit, interruption), so the sink trims audio to the video written. Safe to call twice.
    func finish(complete: Bool) throws(StreamError)
    /// The job failed: closes the output without harming a file. A file the output would replace stays as it
    /// was; a new file keeps the frames written before the failure (none: no file); a stream is finalised.
    /// Safe after ``finish(complete:)`` (then it does nothing).
    func discard()
    /// Things worth telling the user that did not stop the job (e.g. audio the container cannot carry).
    var warnings: [String] { get }
}

extension FrameSink {
    public var warnings: [String] { [] }

    public func writeAudio(_ packet: AudioPacket) throws(StreamError) {}

    /// Outputs that are not files (devices, discarded frames) are just closed.
    public func discard() { try? finish(complete: false) }
}
