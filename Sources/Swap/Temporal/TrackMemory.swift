/// Per-track state that lives only while its track is seen on consecutive frames: a track missing from a frame (lost,
/// or not selected) is forgotten at ``endFrame()``, so it starts afresh when it comes back.
struct TrackMemory<State: Sendable>: Sendable {
    private var states: [Int: State] = [:]
    private var seen: Set<Int> = []

    /// What `id` stored on the previous frame (or earlier on this one); nil for a new or returning track.
    subscript(id: Int) -> State? { states[id] }

    /// Keeps `state` for `id` until the next frame.
    mutating func store(_ state: State, for id: Int) {
        states[id] = state
        seen.insert(id)
    }

    /// Ends a frame: forgets the tracks that stored nothing on it.
    mutating func endFrame() {
        states = states.filter { seen.contains($0.key) }
        seen.removeAll(keepingCapacity: true)
    }
}
