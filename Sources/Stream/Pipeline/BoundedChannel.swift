import DequeModule
import Foundation

/// A blocking FIFO of bounded capacity between two pipeline stages.
///
/// `.block` makes a full channel hold the sender back (lossless file conversion: back-pressure up to the
/// decoder). `.dropOldest` never blocks the sender: the oldest waiting item is discarded and counted (live input:
/// the freshest frame wins).
final class BoundedChannel<Element>: @unchecked Sendable {
    enum Overflow: Sendable { case block, dropOldest }

    private let capacity: Int
    private let overflow: Overflow
    private let condition = NSCondition()
    private var items = Deque<Element>()
    private var closed = false
    private(set) var dropped = 0
    /// The most items ever waiting at once (proves queues do not grow).
    private(set) var highWater = 0

    init(capacity: Int, overflow: Overflow) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.overflow = overflow
    }

    /// Adds an item; returns false (and drops it) once the channel is closed.
    @discardableResult
    func send(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed && items.count >= capacity {
            if overflow == .dropOldest {
                items.removeFirst()
                dropped += 1
            } else {
                condition.wait()
            }
        }
        guard !closed else { return false }
        items.append(item)
        highWater = max(highWater, items.count)
        condition.broadcast()
        return true
    }

    /// The next item; nil once the channel is closed and empty.
    func receive() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard let item = items.popFirst() else { return nil }
        condition.broadcast()
        return item
    }

    /// No more sends; receivers drain what is left.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Closes and discards what is waiting (used when a later stage failed).
    func cancel() {
        condition.lock()
        closed = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    var counters: (dropped: Int, highWater: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (dropped, highWater)
    }
}
