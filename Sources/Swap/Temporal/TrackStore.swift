import Synchronization

/// A value per tracked face, kept across frames under a lock (swappers are shared by the pipeline's workers) and
/// dropped for tracks not seen for `forgetAfter` updates: the bookkeeping ``NeutralFaces`` and
/// ``TrackLevel`` share.
final class TrackStore<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var lastSeen: Int
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var clock = 0
    }

    let forgetAfter: Int
    private let state = Mutex(State())

    init(forgetAfter: Int) {
        self.forgetAfter = max(1, forgetAfter)
    }

    /// Track `id`'s new value, `next` of its current one (nil for a new or forgotten track); stored and returned.
    func update(_ id: Int, _ next: (Value?) -> Value) -> Value {
        state.withLock { s in
            s.clock += 1
            let now = s.clock
            if s.entries.count > 8 { s.entries = s.entries.filter { now - $0.value.lastSeen <= forgetAfter } }
            let value = next(s.entries[id]?.value)
            s.entries[id] = Entry(value: value, lastSeen: now)
            return value
        }
    }
}
