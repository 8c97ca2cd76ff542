import Dispatch

/// Splitting a kernel's work over threads.
package enum Parallel {
    /// Runs `body(part)` for `parts` parts, concurrently when there is more than one: on this thread and the
    /// ``WorkerPair`` installed on it, else on GCD's workers. The parts must touch disjoint memory; the closure (raw
    /// pointers, kernels) is not `Sendable` by type.
    package static func forEach(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 {
            for part in 0..<parts { body(part) }
            return
        }
        if let pair = WorkerPair.current, pair.run(parts, body) { return }
        withoutActuallyEscaping(body) { work in
            let shared = UncheckedSendableBox(work)
            DispatchQueue.concurrentPerform(iterations: parts) { shared.value($0) }
        }
    }

    /// Part `part` of `count` items split into `parts` near-equal contiguous ranges.
    @inline(__always)
    package static func share(_ count: Int, _ part: Int, of parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }
}

/// Carries a value whose thread safety the caller guarantees (disjoint writes) across a `@Sendable` boundary.
package struct UncheckedSendableBox<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
