/// Discards frames: for jobs whose product is not video (e.g. `facelive detect --json` without `-o`).
public final class NullSink: FrameSink {
    public private(set) var framesWritten = 0

    public init() {}

    public func write(_ frame: VideoFrame) throws(StreamError) { framesWritten += 1 }
    public func finish(complete: Bool) throws(StreamError) {}
}
