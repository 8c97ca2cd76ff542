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

/// An ``Activation`` resolved for one channel count: a kind to switch on and an alpha per channel.
///
/// Kernels hold one of these and apply it in registers right after computing a vector of outputs.
struct ActivationFunction: Sendable {
    enum Kind: UInt8, Sendable { case identity, relu, relu6, reluN1To1, tanh, sigmoid, leaky }
    let kind: Kind
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
        case .leakyRelu(let a): (kind, alpha) = (.leaky, AlignedBuffer([Float](repeating: a, count: channels)))
        case .prelu(let a):
            precondition(a.count == channels || a.count == 1, "PReLU alpha count \(a.count) for \(channels) channels")
            (kind, alpha) = (.leaky, AlignedBuffer(a.count == 1 ? [Float](repeating: a[0], count: channels) : a))
        }
    }

    var isIdentity: Bool { kind == .identity }

    /// Applies the function to channels `c ..< c+8`.
    @inline(__always)
    func callAsFunction(_ x: SIMD8<Float>, channel c: Int) -> SIMD8<Float> {
        switch kind {
        case .identity: return x
        case .relu: return x.replacing(with: 0, where: x .< 0)
        case .relu6: return x.clamped(lowerBound: SIMD8(repeating: 0), upperBound: SIMD8(repeating: 6))
        case .reluN1To1: return x.clamped(lowerBound: SIMD8(repeating: -1), upperBound: SIMD8(repeating: 1))
        case .leaky:
            let a = SIMD8<Float>.load(alpha!.baseAddress + c)
            return x.replacing(with: x * a, where: x .< 0)
        case .tanh, .sigmoid:
            var y = x
            for i in 0..<8 { y[i] = self(x[i], channel: c + i) }
            return y
        }
    }

    /// Applies the function to channel `c`.
    @inline(__always)
    func callAsFunction(_ x: Float, channel c: Int) -> Float {
        switch kind {
        case .identity: return x
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        case .reluN1To1: return min(max(x, -1), 1)
        case .leaky: return x < 0 ? x * alpha!.baseAddress[c] : x
        case .tanh: return Foundation.tanh(x)
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        }
    }
}

/// Bias add + activation over a `[pixels × channels]` block, in place: the tail of conv and fully connected layers.
struct Epilogue: Sendable {
    let channels: Int
    let bias: AlignedBuffer?
    var activation: ActivationFunction

    init(channels: Int, bias: [Float]?, activation: Activation) {
        self.channels = channels
        self.bias = bias.map { AlignedBuffer($0) }
        self.activation = ActivationFunction(activation, channels: channels)
    }

    var isIdentity: Bool { bias == nil && activation.isIdentity }

    func apply(_ data: UnsafeMutablePointer<Float>, pixels: Int) {
        if isIdentity { return }
        let c = channels
        let vectorEnd = c & ~7
        let b = bias?.baseAddress
        for p in 0..<pixels {
            let row = data + p * c
            var ch = 0
            while ch < vectorEnd {
                var v = SIMD8<Float>.load(row + ch)
                if let b { v += SIMD8<Float>.load(b + ch) }
                activation(v, channel: ch).store(to: row + ch)
                ch += 8
            }
            while ch < c {
                var v = row[ch]
                if let b { v += b[ch] }
                row[ch] = activation(v, channel: ch)
                ch += 1
            }
        }
    }
}

extension SIMD8 where Scalar == Float {
    /// Unaligned load of 8 floats.
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// Unaligned store of 8 floats.
    @inline(__always)
    func store(to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}
