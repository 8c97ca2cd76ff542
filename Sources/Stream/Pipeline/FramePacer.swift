/// The schedule of a target-delay jitter buffer: when each frame leaves, so that video reaches the output a fixed
/// time after capture, at an even cadence, however unevenly the processing stages finish frames.
///
/// A frame is due at `capturedAt + delay`. Capture instants themselves jitter a little (they are stamped when the
/// frame leaves the decoder), so releases follow the frames' presentation times instead, anchored on one frame's
/// capture instant: `anchor.capturedAt + (time − anchor.time) + delay`. The grid re-anchors when it drifts more
/// than `tolerance` (two frame intervals) away from `capturedAt + delay` (the device clock running at a different speed than the
/// monotonic clock, a pause in the input), so the delay a streamer gives the audio stays true.
///
/// Frames leave in order: a frame whose instant falls before the previous frame's release goes right after it.
/// A frame that reaches the buffer after its release instant goes out at once and is counted as late: the pacer
/// never drops, because when `delay` is shorter than the processing time every frame would be late and dropping
/// them would freeze the picture. (The live policy already drops stale frames at ingress.)
///
/// Time is passed in (`now`), so the schedule is a pure function of its inputs and is tested without sleeping.
public struct FramePacer: Sendable {
    /// Capture → release.
    public let delay: Duration
    /// Largest drift from `capturedAt + delay` before the grid re-anchors.
    public let tolerance: Duration
    /// Frames that reached the buffer after their release instant.
    public private(set) var lateFrames = 0
    /// The largest such lateness.
    public private(set) var maxLateness: Duration = .zero
    /// Times the grid was re-anchored.
    public private(set) var resyncs = 0

    private var anchor: (capturedAt: ContinuousClock.Instant, time: Double)?
    private var lastRelease: ContinuousClock.Instant?

    /// - Parameters:
    ///   - delay: capture → release; must be positive (no pacing at 0).
    ///   - frameInterval: the nominal time between frames. Two of them are the drift tolerance: wide enough for
    ///     capture-stamp jitter and for frames a rate converter repeats (which share one capture instant).
    public init(delay: Duration, frameInterval: Duration) {
        precondition(delay > .zero, "a pacer needs a positive delay")
        self.delay = delay
        tolerance = max(frameInterval * 2, .milliseconds(2))
    }

    /// The instant a frame captured at `capturedAt`, with presentation time `time` (seconds), should leave the
    /// buffer, given it arrives at `now`. Releases never go backwards, so frames keep their order.
    public mutating func release(capturedAt: ContinuousClock.Instant, time: Double,
                                 now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let due = capturedAt + delay
        var release = due
        if let anchor {
            let paced = anchor.capturedAt + .seconds(time - anchor.time) + delay
            let drift = paced > due ? paced - due : due - paced
            if drift <= tolerance {
                release = paced
            } else {
                resyncs += 1
                self.anchor = (capturedAt, time)
            }
        } else {
            anchor = (capturedAt, time)
        }
        if let lastRelease, release < lastRelease { release = lastRelease }
        if now > release {
            lateFrames += 1
            maxLateness = max(maxLateness, now - release)
            release = now
        }
        lastRelease = release
        return release
    }
}
