/// Resamples a stream of frame times to a constant rate, like FFmpeg's `fps` filter: each output slot
/// `k` (at `origin + k / fps`) shows the latest input frame at or before it; frames that fall between slots
/// are dropped, gaps are filled by repeating the previous frame.
struct FrameRateConverter<Frame> {
    let fps: Double
    private(set) var origin: Double?
    private(set) var nextSlot = 0
    private var held: (frame: Frame, time: Double)?

    init(fps: Double) {
        precondition(fps > 0)
        self.fps = fps
    }

    /// Feeds the next input frame; returns the (frame, slot) pairs now ready for output.
    mutating func push(_ frame: Frame, time: Double) -> [(frame: Frame, slot: Int)] {
        let origin = self.origin ?? time
        self.origin = origin
        let slot = Int(((time - origin) * fps).rounded())
        let out = releaseHeld(upTo: slot)
        held = (frame, time)
        return out
    }

    /// Ends the stream: the held frame covers slots up to `endTime` (its time plus one input frame duration).
    mutating func finish(endTime: Double) -> [(frame: Frame, slot: Int)] {
        guard let origin else { return [] }
        let endSlot = Int(((endTime - origin) * fps).rounded())
        // A stream shorter than one output slot still yields one frame.
        let out = releaseHeld(upTo: nextSlot == 0 ? max(endSlot, 1) : endSlot)
        held = nil
        return out
    }

    private mutating func releaseHeld(upTo slot: Int) -> [(frame: Frame, slot: Int)] {
        guard let held, slot > nextSlot else { return [] }
        defer { nextSlot = slot }
        return (nextSlot..<slot).map { (held.frame, $0) }
    }
}
