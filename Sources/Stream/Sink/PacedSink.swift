import Foundation
import Synchronization

/// A target-delay jitter buffer in front of another sink (`--delay MS`): frames are held and handed on at the
/// instants a ``FramePacer`` schedules — a fixed time after capture, at an even cadence — so a streamer can delay
/// the microphone by the same amount and keep lips in sync.
///
/// `write` only queues, so the pipeline keeps running while frames wait; a dedicated thread releases them.
/// Audio packets travel through the same queue, so the wrapped sink is only ever called from that one thread and
/// sees audio and video in the order the pipeline gave them. The queue holds about two delays' worth of frames;
/// beyond that `write` blocks (back-pressure, which only a source faster than real time reaches).
public final class PacedSink: FrameSink {
    /// The sink frames are handed to.
    public let inner: any FrameSink
    private var pacer: FramePacer
    private let shared: Releaser
    private var finished = false

    /// - Parameters:
    ///   - delay: capture → hand-off; must be positive.
    ///   - frameRate: nominal frames per second, for the buffer size and the pacer's drift tolerance.
    public init(wrapping inner: any FrameSink, delay: Duration, frameRate: Double) {
        self.inner = inner
        let rate = frameRate > 0 ? frameRate : 30
        pacer = FramePacer(delay: delay, frameInterval: .seconds(1 / rate))
        let capacity = max(4, Int((delay.seconds * rate * 2).rounded(.up)) + 2)
        shared = Releaser(inner: inner, capacity: capacity)
        let thread = Thread { [shared] in shared.run() }
        thread.name = "facelive.pacer"
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    /// Frames that reached the buffer after their release instant (sent at once, see ``FramePacer``).
    public var lateFrames: Int { pacer.lateFrames }

    /// The wrapped sink's warnings, plus a note when frames arrived late, suggesting a longer delay.
    public var warnings: [String] {
        guard pacer.lateFrames > 0 else { return inner.warnings }
        let late = Int((pacer.maxLateness.seconds * 1000).rounded()), delay = Int((pacer.delay.seconds * 1000).rounded())
        return inner.warnings + ["\(pacer.lateFrames) frames were ready later than --delay \(delay) ms (by up to \(late) ms): raise --delay for an even cadence"]
    }

    public func write(_ frame: VideoFrame) throws(StreamError) {
        let release = pacer.release(capturedAt: frame.capturedAt, time: frame.time, now: .now)
        try shared.enqueue(.frame(frame, release: release))
    }

    public func writeAudio(_ packet: AudioPacket) throws(StreamError) {
        try shared.enqueue(.audio(packet))
    }

    /// Releases what is still buffered on schedule, then finishes the wrapped sink.
    public func finish(complete: Bool) throws(StreamError) {
        guard !finished else { return }
        finished = true
        let pending = shared.drain()
        do {
            try inner.finish(complete: complete && pending == nil)
        } catch {
            throw pending ?? error
        }
        if let pending { throw pending }
    }

    /// Drops what is buffered and discards the wrapped sink's output.
    public func discard() {
        guard !finished else { return }
        finished = true
        shared.abandon()
        shared.waitUntilStopped()
        inner.discard()
    }

    deinit {
        if !finished { shared.abandon() }
    }
}

/// The queue between the pipeline's sink thread and the pacer thread, and the pacer thread's loop.
private final class Releaser: @unchecked Sendable {
    enum Item {
        case frame(VideoFrame, release: ContinuousClock.Instant)
        case audio(AudioPacket)
    }

    private let inner: any FrameSink
    private let queue: BoundedChannel<Item>
    private let failure = Mutex<StreamError?>(nil)
    private let stopped = DispatchSemaphore(value: 0)

    init(inner: any FrameSink, capacity: Int) {
        self.inner = inner
        queue = BoundedChannel(capacity: capacity, overflow: .block)
    }

    /// Queues an item; throws the wrapped sink's error once it has failed.
    func enqueue(_ item: Item) throws(StreamError) {
        if let error = failure.withLock({ $0 }) { throw error }
        if !queue.send(item) {
            throw failure.withLock { $0 } ?? .ffmpeg(operation: "pacing frames", message: "the output is already closed")
        }
    }

    /// No more items: waits until the pacer thread has released what was queued; returns its error, if any.
    func drain() -> StreamError? {
        queue.close()
        stopped.wait()
        return failure.withLock { $0 }
    }

    /// Discards what is queued and lets the thread end (the sink was dropped without finishing).
    func abandon() { queue.cancel() }

    /// Waits for the pacer thread to end (after ``drain()`` or ``abandon()``).
    func waitUntilStopped() { stopped.wait() }

    /// The pacer thread: waits for each frame's instant, then hands it on. After a failure it stops writing and
    /// discards the rest, so the next `enqueue` reports the error on the pipeline's thread.
    func run() {
        defer { stopped.signal() }
        while let item = queue.receive() {
            do throws(StreamError) {
                switch item {
                case .frame(let frame, let release):
                    let wait = release - .now
                    if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                    try inner.write(frame)
                case .audio(let packet):
                    try inner.writeAudio(packet)
                }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                queue.cancel()
                return
            }
        }
    }
}
