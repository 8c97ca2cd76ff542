import Foundation

/// A pointwise activation, either a layer of its own or fused into the epilogue of the op before it.
public enum Activation: Sendable, Equatable {
    case none
    case relu
    case relu6
    /// Clamp to [-1, 1] (TFLite `RELU_N1_TO_1`).
    case reluN1To1
    case tanh
    case sigmoid
    case leakyRelu(alpha: Float)
    /// Per-channel leaky slope `x < 0 ? alpha[c]·x : x`; `alpha` holds one value per channel (or one for all).
    case prelu(alpha: [Float])
}

/// An ``Activation`` resolved for one channel count; owns the per-channel alphas.
///
/// Kernels keep one of these and take its trivially-copyable ``applier`` into their loops (copying a struct
/// that holds a class reference inside a hot loop would cost a retain/release per use).
struct ActivationFunction: Sendable {
    let kind: ActivationApplier.Kind
    /// Per-channel slope for `.leaky` (leaky ReLU and PReLU), else nil.
    let alpha: AlignedBuffer?

    init(_ activation: Activation, channels: Int) {
        switch activation {
        case .none: (kind, alpha) = (.identity, nil)
        case .relu: (kind, alpha) = (.relu, nil)
        case .relu6: (kind, alpha) = (.relu6, nil)
        case .reluN1To1: (kind, alpha) = (.reluN1To1, nil)
        case .tanh: (kind, alpha) = (.tanh, nil)
        case .sigmoid: (kind, alpha) = (.sigmoid, nil)
        case .leakyRelu(let a): (kind, alpha) = (.leaky, Self.padded([Float](repeating: a, count: channels)))
        case .prelu(let a):
            precondition(a.count == channels || a.count == 1, "PReLU alpha count \(a.count) for \(channels) channels")
            (kind, alpha) = (.leaky, Self.padded(a.count == 1 ? [Float](repeating: a[0], count: channels) : a))
        }
    }

    var isIdentity: Bool { kind == .identity }

    /// Whether `other` computes the same function (same kind and slopes).
    func isSame(as other: ActivationFunction) -> Bool {
        guard kind == other.kind else { return false }
        guard let alpha, let b = other.alpha else { return alpha == nil && other.alpha == nil }
        return alpha === b || alpha.array == b.array
    }

    /// Per-channel values zero-padded to a whole number of 8-lane vectors, so a kernel's last (partial) vector of
    /// channels may read them.
    static func padded(_ values: [Float]) -> AlignedBuffer {
        let buffer = AlignedBuffer(count: (values.count + 7) & ~7)
        for (i, v) in values.enumerated() { buffer.baseAddress[i] = v }
        return buffer
    }

    /// The function for use inside a kernel's loops (valid while this value is alive).
    var applier: ActivationApplier { ActivationApplier(kind: kind, alpha: alpha.map { UnsafePointer($0.baseAddress) }) }
}

/// The activation as a trivial value: a kind to switch on (loop-invariant, so well predicted) and an alpha pointer.
struct ActivationApplier {
    enum Kind: UInt8, Sendable { case identity, relu, relu6, reluN1To1, tanh, sigmoid, leaky }
    let kind: Kind
    let alpha: UnsafePointer<Float>?

    /// Applies the function to channels `c ..< c+8`. (Written with `replacing(with:where:)`: the generic
    /// `pointwiseMax`/`clamped` are scalarised and ~10× slower.)
    @inline(__always)
    func callAsFunction(_ x: SIMD8<Float>, channel c: Int) -> SIMD8<Float> {
        switch kind {
        case .identity: return x
        case .relu: return x.replacing(with: 0, where: x .< 0)
        case .relu6:
            let y = x.replacing(with: 0, where: x .< 0)
            return y.replacing(with: 6, where: y .> 6)
        case .reluN1To1:
            let y = x.replacing(with: -1, where: x .< -1)
            return y.replacing(with: 1, where: y .> 1)
        case .leaky:
            let a = SIMD8<Float>.load(alpha! + c)
            return x.replacing(with: x * a, where: x .< 0)
        case .sigmoid:
            return .sigmoid(x)
        case .tanh:
            return transcendental(x, channel: c)
        }
    }

    /// Applies the function in place to `pixels` rows of `channels` values. The switch sits outside the loops, so
    /// each loop is a straight SIMD sweep; kernels call this on freshly written output still in L1 instead of
    /// applying the function per vector inside their own loops.
    func apply(to data: UnsafeMutablePointer<Float>, pixels: Int, channels: Int) {
        switch kind {
        case .identity:
            return
        case .relu:
            let count = pixels * channels
            var j = 0
            while j + 8 <= count {
                let v = SIMD8<Float>.load(data + j)
                v.replacing(with: 0, where: v .< 0).store(to: data + j)
                j += 8
            }
            while j < count { data[j] = max(data[j], 0); j += 1 }
        case .relu6:
            clamp(data, count: pixels * channels, 0, 6)
        case .reluN1To1:
            clamp(data, count: pixels * channels, -1, 1)
        case .leaky:
            let alpha = alpha!
            for p in 0..<pixels {
                let row = data + p * channels
                var j = 0
                while j + 8 <= channels {
                    let v = SIMD8<Float>.load(row + j)
                    v.replacing(with: v * SIMD8<Float>.load(alpha + j), where: v .< 0).store(to: row + j)
                    j += 8
                }
                while j < channels { row[j] = row[j] < 0 ? row[j] * alpha[j] : row[j]; j += 1 }
            }
        case .sigmoid:
            let count = pixels * channels
            var j = 0
            while j + 8 <= count { SIMD8<Float>.sigmoid(SIMD8<Float>.load(data + j)).store(to: data + j); j += 8 }
            while j < count { data[j] = sigmoid(data[j]); j += 1 }
        default:
            for p in 0..<pixels {
                let row = data + p * channels
                for j in 0..<channels { row[j] = self(row[j], channel: j) }
            }
        }
    }

    /// Clamps `count` values to `[low, high]` in place (ReLU6, the MobileNet-style expansions of the hand
    /// landmark network; a scalar loop with the per-element switch cost as much as the convolution before it).
    private func clamp(_ data: UnsafeMutablePointer<Float>, count: Int, _ low: Float, _ high: Float) {
        var j = 0
        while j + 8 <= count {
            let v = SIMD8<Float>.load(data + j)
            let y = v.replacing(with: low, where: v .< low)
            y.replacing(with: high, where: y .> high).store(to: data + j)
            j += 8
        }
        while j < count { data[j] = min(max(data[j], low), high); j += 1 }
    }

    /// Short name for kernel labels (profiles), empty for the identity.
    var label: String { kind == .identity ? "" : " \(kind)" }

    /// Lane by lane through libm; kept out of line so the common cases above stay small enough to inline.
    @inline(never)
    func transcendental(_ x: SIMD8<Float>, channel c: Int) -> SIMD8<Float> {
        var y = x
        for i in 0..<8 { y[i] = self(x[i], channel: c + i) }
        return y
    }

    /// Applies the function to channel `c`.
    @inline(__always)
    func callAsFunction(_ x: Float, channel c: Int) -> Float {
        switch kind {
        case .identity: return x
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        case .reluN1To1: return min(max(x, -1), 1)
        case .leaky: return x < 0 ? x * alpha![c] : x
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return sigmoid(x)
        }
    }
}

/// Bias add, optional residual add and activation over a `[pixels × channels]` block, in place: the tail of
/// BLAS-backed conv and fully connected layers.
struct Epilogue {
    let channels: Int
    /// At least `channels` values.
    let bias: AlignedBuffer?
    let activation: ActivationFunction

    /// Applies bias, then `residual` (`[pixels × residualChannels]`, zero-padded to `channels`), then activation.
    func apply(_ data: UnsafeMutablePointer<Float>, pixels: Int, residual: UnsafePointer<Float>? = nil, residualChannels: Int = 0) {
        let c = channels
        let b = bias.map { UnsafePointer($0.baseAddress) }
        let activation = activation.applier
        for p in 0..<pixels {
            let row = data + p * c
            if let residual {
                let r = residual + p * residualChannels
                for ch in 0..<residualChannels { row[ch] += r[ch] }
            }
            if let b {
                var ch = 0
                while ch + 8 <= c { (SIMD8<Float>.load(row + ch) + SIMD8<Float>.load(b + ch)).store(to: row + ch); ch += 8 }
                while ch < c { row[ch] += b[ch]; ch += 1 }
            }
        }
        activation.apply(to: data, pixels: pixels, channels: c)
    }
}

/// The logistic function, with the argument clamped so `exp` cannot overflow (MediaPipe clamps scores likewise).
@inline(__always)
package func sigmoid(_ x: Float) -> Float {
    1 / (1 + Foundation.exp(-min(max(x, -80), 80)))
}

extension SIMD where Scalar == Float {
    /// Unaligned load of a vector of floats.
    @inline(__always)
    package static func load(_ p: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(p).loadUnaligned(as: Self.self)
    }

    @inline(__always)
    package static func load(_ p: UnsafeMutablePointer<Float>) -> Self {
        UnsafeRawPointer(p).loadUnaligned(as: Self.self)
    }

    /// Unaligned store of a vector of floats.
    @inline(__always)
    package func store(to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
    }
}
