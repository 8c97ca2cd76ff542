/// A smooth step between two levels: 0 at `from` and beyond it, 1 at `full` and beyond, a smoothstep between (its
/// slope 0 at both ends, so nothing driven by it jumps where it starts or saturates). `from` above `full` makes a
/// falling step: 1 at low values, 0 at high ones.
struct Ramp: Sendable, Equatable {
    var from: Float
    var full: Float

    func callAsFunction(_ x: Float) -> Float {
        let span = full - from
        guard span != 0 else { return x >= full ? 1 : 0 }
        return Self.smoothstep(min(max((x - from) / span, 0), 1))
    }

    /// `t` (0…1) eased: 3t² − 2t³.
    @inline(__always) static func smoothstep(_ t: Float) -> Float {
        t * t * (3 - 2 * t)
    }
}
