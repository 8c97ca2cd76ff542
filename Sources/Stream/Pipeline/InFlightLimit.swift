import Foundation

/// Caps the frames between the decoder and the output: the source takes a slot before decoding a frame and the
/// sink gives it back once the frame is written. The cap comes from a byte budget, so 8K frames (100 MB each as
/// RGB) are few in flight while small ones flow as freely as the queues allow.
final class InFlightLimit: @unchecked Sendable {
    private let condition = NSCondition()
    private var available: Int
    /// The cap, in frames.
    let slots: Int

    /// `bytes / frameBytes` slots, at least `minimum` and at most `maximum`.
    init(bytes: Int, frameBytes: Int, minimum: Int, maximum: Int = .max) {
        slots = min(maximum, max(minimum, bytes / max(1, frameBytes)))
        available = slots
    }

    /// Waits for a free slot; returns false (without one) once `stop()` says to give up.
    func acquire(until stop: () -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while available == 0 {
            if stop() { return false }
            condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        available -= 1
        return true
    }

    /// Gives a slot back.
    func release() {
        condition.lock()
        available = min(slots, available + 1)
        condition.signal()
        condition.unlock()
    }
}
