import Foundation

/// Plays a file like a camera: each frame is released at its presentation time on the wall clock (and stamped
/// as captured then), and the pipeline treats the input as live. For benchmarks (`facelive bench --realtime`) and
/// for feeding a virtual camera from a file.
public final class RealtimeSource: FrameSource, @unchecked Sendable {
    private let inner: any FrameSource
    private let clock: ContinuousClock
    private var start: (wall: ContinuousClock.Instant, media: Double)?
    private let interrupt = InterruptFlag()

    public init(_ inner: any FrameSource) {
        self.inner = inner
        clock = ContinuousClock()
    }

    public var video: VideoStreamInfo { inner.video }
    public var audio: AudioTrack? { inner.audio }
    public var isLive: Bool { true }
    public var audioHandler: (@Sendable (AudioPacket) -> Void)? {
        get { inner.audioHandler }
        set { inner.audioHandler = newValue }
    }

    public func nextFrame() throws(StreamError) -> VideoFrame? {
        guard let frame = try inner.nextFrame() else { return nil }
        let origin = start ?? (clock.now, frame.time)
        start = origin
        let due = origin.wall + .seconds(frame.time - origin.media)
        // Sleep in short steps so stop() is honoured promptly.
        while !interrupt.isRaised, clock.now < due {
            let step = min(due - clock.now, .milliseconds(20))
            Thread.sleep(forTimeInterval: step.seconds)
        }
        frame.capturedAt = clock.now
        return interrupt.isRaised ? nil : frame
    }

    public func stop() {
        interrupt.raise()
        inner.stop()
    }
}
