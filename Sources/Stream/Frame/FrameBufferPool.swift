import Synchronization

/// Picture buffers handed back when a frame is done with them and reused for later frames' pictures.
///
/// A 1080p RGB picture is 6 MB, one per frame (stages edit it in place). Allocated afresh each frame and freed on
/// another thread, such pictures leave the C heap fragmented; reusing the same few blocks keeps it flat
/// (docs/BENCHMARKS.md, "Memory"). A buffer still shared with some other value when it comes back is
/// safe: the array copies on write, as any array does.
public final class FrameBufferPool: Sendable {
    private let idle = Mutex<[[UInt8]]>([])
    /// The most buffers kept idle; more are freed, oldest first.
    public let capacity: Int

    public init(capacity: Int = 4) {
        precondition(capacity >= 0, "capacity must not be negative")
        self.capacity = capacity
    }

    /// A buffer of `count` bytes whose contents are undefined: the caller writes every byte.
    public func take(count: Int) -> [UInt8] {
        let reused = idle.withLock { list -> [UInt8]? in
            guard let index = list.firstIndex(where: { $0.count == count }) else { return nil }
            return list.remove(at: index)
        }
        return reused ?? [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Gives `buffer` back for reuse.
    public func recycle(_ buffer: consuming [UInt8]) {
        guard capacity > 0 else { return }
        let buffer = buffer
        idle.withLock { list in
            if list.count == capacity { list.removeFirst() }
            list.append(buffer)
        }
    }

    /// Buffers waiting for reuse.
    public var idleCount: Int { idle.withLock { $0.count } }
}
