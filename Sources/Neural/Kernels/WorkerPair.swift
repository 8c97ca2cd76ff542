import CCPUFeatures
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A helper thread that stays awake between one caller thread's parallel loops. While installed on the caller's
/// thread (``withInstalled(_:)``), ``Parallel/forEach(_:_:)`` runs the parts on the caller and this helper instead of
/// on GCD's workers.
///
/// Why: a training step is hundreds of short two-way loops; GCD's workers go to sleep between them, and the caller
/// waits out a futex wake-up (tens of µs) at the start of each loop's second half. The helper polls for
/// `spin` after each loop before it sleeps, so back-to-back loops start at once.
///
/// Either thread claims parts one at a time from a ticket (generation, next part), as `concurrentPerform` hands out
/// iterations: every part runs exactly once, on whichever thread claims it, so results do not depend on timing.
/// Loops nested in a part fall back to GCD. Not for a thread other than the one that installed it.
package final class WorkerPair: @unchecked Sendable {
    private let shared: Shared
    private var thread = pthread_t()
    /// A loop is running (caller thread only): a nested one goes to GCD.
    private var busy = false
    /// The caller's last published generation.
    private var generation = 0

    /// `spinMicroseconds`: how long the helper polls after a loop before it sleeps.
    package init(spinMicroseconds: Int = 200) {
        shared = Shared(spinNanoseconds: UInt64(max(0, spinMicroseconds)) * 1000)
        let context = Unmanaged.passRetained(shared).toOpaque()
        let created = pthread_create(&thread, nil, { raw in
            let shared = Unmanaged<Shared>.fromOpaque(raw!).takeRetainedValue()
            shared.helperLoop()
            return nil
        }, context)
        precondition(created == 0, "cannot start a worker thread (error \(created))")
    }

    deinit {
        shared.stopping.store(true, ordering: .sequentiallyConsistent)
        shared.wake.signal()
        pthread_join(thread, nil)
    }

    /// Runs `body` with this pair serving ``Parallel/forEach(_:_:)`` on the current thread.
    package func withInstalled<R>(_ body: () throws -> R) rethrows -> R {
        let previous = pthread_getspecific(Self.key)
        pthread_setspecific(Self.key, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.key, previous) }
        return try body()
    }

    /// The pair installed on the current thread, if any.
    static var current: WorkerPair? {
        pthread_getspecific(key).map { Unmanaged<WorkerPair>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "cannot create a thread-specific key")
        return key
    }()

    /// Runs `body(part)` for `parts` parts on this thread and the helper; false (nothing run) inside another loop.
    func run(_ parts: Int, _ body: (Int) -> Void) -> Bool {
        guard !busy, parts < Shared.closed else { return false }
        busy = true
        defer { busy = false }
        generation += 1
        let open = generation << Shared.indexBits
        withoutActuallyEscaping(body) { escaping in
            withUnsafePointer(to: escaping) { job in
                let s = shared
                // Closed while the loop's description changes: a helper still on an older generation cannot claim
                // (its compare-exchange expects that generation), and none takes this one until it opens.
                s.ticket.store(open | Shared.closed, ordering: .sequentiallyConsistent)
                s.job.store(UInt(bitPattern: job), ordering: .sequentiallyConsistent)
                s.parts.store(parts, ordering: .sequentiallyConsistent)
                s.helperDone.store(0, ordering: .sequentiallyConsistent)
                s.ticket.store(open, ordering: .sequentiallyConsistent)
                if s.sleeping.exchange(false, ordering: .sequentiallyConsistent) { s.wake.signal() }
                let mine = s.claimParts(generation: generation, parts: parts, job: job)
                // The helper's parts are claimed (the ticket is past the end); wait until they are done.
                var polls = 0
                while s.helperDone.load(ordering: .sequentiallyConsistent) < parts - mine {
                    polls += 1
                    Shared.pause(polls)
                }
            }
        }
        return true
    }

    /// The state both threads see.
    private final class Shared: @unchecked Sendable {
        static let indexBits = 16
        /// The part index of a ticket whose loop is being described.
        static let closed = (1 << indexBits) - 1
        /// `generation << indexBits | next part`.
        let ticket = Atomic<Int>(0)
        /// The address of the current loop's body (on the caller's stack while the loop runs).
        let job = Atomic<UInt>(0)
        let parts = Atomic<Int>(0)
        /// Parts of the current loop the helper has finished.
        let helperDone = Atomic<Int>(0)
        let sleeping = Atomic<Bool>(false)
        let stopping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        let spinNanoseconds: UInt64

        init(spinNanoseconds: UInt64) { self.spinNanoseconds = spinNanoseconds }

        /// One poll's wait: a `pause`, and every 16th poll the processor to any other runnable thread (on a busy
        /// machine the thread polled for may be the one waiting for this core; on an idle one this returns at once).
        @inline(__always)
        static func pause(_ polls: Int) {
            if polls & 15 == 0 { sched_yield() } else { facelive_spin_pause() }
        }

        /// Claims and runs parts of `generation`'s loop until none is left; returns how many this thread ran.
        func claimParts(generation: Int, parts: Int, job: UnsafePointer<(Int) -> Void>) -> Int {
            var ran = 0
            var t = ticket.load(ordering: .sequentiallyConsistent)
            while t >> Self.indexBits == generation, t & Self.closed < parts {
                let (claimed, current) = ticket.compareExchange(expected: t, desired: t + 1,
                                                                ordering: .sequentiallyConsistent)
                if claimed {
                    job.pointee(t & Self.closed)
                    ran += 1
                    t = ticket.load(ordering: .sequentiallyConsistent)
                } else {
                    t = current
                }
            }
            return ran
        }

        func helperLoop() {
            var seen = 0
            var idleSince = DispatchTime.now().uptimeNanoseconds
            var polls = 0
            while !stopping.load(ordering: .sequentiallyConsistent) {
                let t = ticket.load(ordering: .sequentiallyConsistent)
                let generation = t >> Self.indexBits
                if generation != seen && t & Self.closed != Self.closed {
                    seen = generation
                    // Read after the ticket opened; used only if a claim on this generation succeeds, which means
                    // the caller has not moved on (and rewritten them) since.
                    let count = parts.load(ordering: .sequentiallyConsistent)
                    if let job = UnsafePointer<(Int) -> Void>(bitPattern: job.load(ordering: .sequentiallyConsistent)) {
                        let ran = claimParts(generation: generation, parts: count, job: job)
                        if ran > 0 { helperDone.add(ran, ordering: .sequentiallyConsistent) }
                    }
                    idleSince = DispatchTime.now().uptimeNanoseconds
                    continue
                }
                polls += 1
                if polls & 63 != 0 || DispatchTime.now().uptimeNanoseconds - idleSince < spinNanoseconds {
                    Self.pause(polls)
                    continue
                }
                // Announce the sleep, then look once more: a caller that opened a loop before the announcement is
                // seen here; one after it sees the flag and signals.
                sleeping.store(true, ordering: .sequentiallyConsistent)
                let again = ticket.load(ordering: .sequentiallyConsistent)
                if again >> Self.indexBits == seen && !stopping.load(ordering: .sequentiallyConsistent) { wake.wait() }
                sleeping.store(false, ordering: .sequentiallyConsistent)
                idleSince = DispatchTime.now().uptimeNanoseconds
            }
        }
    }
}
