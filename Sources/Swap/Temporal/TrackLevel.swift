/// A level per tracked face that follows each frame's measure with its own speed up and down: a measure that comes
/// and goes between frames (a landmarker's lag, a face's talk) moves what it drives smoothly instead of in jumps.
/// Tracks not seen for `forgetAfter` updates are dropped.
final class TrackLevel: Sendable {
    /// Share of the way to a higher measure taken per frame.
    let attack: Float
    /// Share of the way to a lower measure taken per frame.
    let release: Float
    private let store: TrackStore<Float>

    init(attack: Float, release: Float, forgetAfter: Int = 300) {
        (self.attack, self.release) = (min(max(attack, 0), 1), min(max(release, 0), 1))
        store = TrackStore(forgetAfter: forgetAfter)
    }

    /// Adds this frame's `measure` to track `id` and returns the track's level (the measure itself on its first
    /// frame).
    func update(_ measure: Float, trackID id: Int) -> Float {
        store.update(id) { held in
            guard let held else { return measure }
            let next = held + (measure - held) * (measure > held ? attack : release)
            // Down to nothing once it is too small to matter to anything it drives.
            return abs(next) < 1e-3 ? 0 : next
        }
    }
}
