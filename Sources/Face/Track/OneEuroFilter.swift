import Foundation

/// The One-Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass whose cutoff rises with speed, so a still
/// signal is smoothed hard while a moving one follows with little lag. Works lane by lane on any float SIMD vector
/// (each lane is one coordinate with its own speed).
public struct OneEuroFilter<Value: SIMD & Sendable>: Sendable where Value.Scalar == Float {
    /// Filter settings.
    public struct Parameters: Sendable, Equatable {
        /// Cutoff (Hz) of a still signal: lower = smoother at rest, more lag.
        public var minCutoff: Float
        /// Cutoff increase per unit of speed (units per second): higher = less lag when moving.
        public var beta: Float
        /// Cutoff (Hz) of the speed estimate itself.
        public var derivativeCutoff: Float
        /// Off = pass values through unchanged.
        public var isEnabled: Bool

        public init(minCutoff: Float = 1, beta: Float = 0, derivativeCutoff: Float = 1, isEnabled: Bool = true) {
            self.minCutoff = minCutoff
            self.beta = beta
            self.derivativeCutoff = derivativeCutoff
            self.isEnabled = isEnabled
        }
    }

    public var parameters: Parameters
    private var value: Value?
    private var derivative = Value()
    private var time = 0.0

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Whether the filter has a state (false before the first value and after ``reset()``).
    public var isPrimed: Bool { value != nil }

    /// Forgets the history: the next value passes through unchanged.
    public mutating func reset() {
        value = nil
        derivative = Value()
    }

    /// Filters `x` observed at `time` seconds. A time not after the previous one (a re-emitted frame) returns the
    /// previous output.
    public mutating func filter(_ x: Value, at time: Double) -> Value {
        guard parameters.isEnabled else { return x }
        guard let previous = value else {
            value = x
            self.time = time
            return x
        }
        let dt = Float(time - self.time)
        guard dt > 0 else { return previous }
        self.time = time
        let dx = (x - previous) / dt
        derivative = Self.blend(derivative, dx, alpha: Self.alpha(Value(repeating: parameters.derivativeCutoff), dt))
        let cutoff = Value(repeating: parameters.minCutoff) + parameters.beta * Self.magnitude(derivative)
        let y = Self.blend(previous, x, alpha: Self.alpha(cutoff, dt))
        value = y
        return y
    }

    /// Smoothing factor of an exponential low-pass with `cutoff` Hz sampled every `dt` s.
    @inline(__always)
    private static func alpha(_ cutoff: Value, _ dt: Float) -> Value {
        let tau = 1 / (2 * Float.pi * cutoff)
        return 1 / (1 + tau / dt)
    }

    @inline(__always)
    private static func blend(_ old: Value, _ new: Value, alpha: Value) -> Value {
        old + alpha * (new - old)
    }

    @inline(__always)
    private static func magnitude(_ v: Value) -> Value {
        v.replacing(with: -v, where: v .< 0)
    }
}
