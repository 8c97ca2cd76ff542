import Neural
/// The activations trained layers use, with their derivatives expressed through the output `y = f(z)`.
enum LayerActivation: Sendable, Equatable {
    case identity
    case leakyRelu(Float)
    case sigmoid

    /// The trainable equivalent of a layout's activation (the layouts use no others).
    init(_ activation: Activation) {
        switch activation {
        case .none: self = .identity
        case .leakyRelu(let alpha): self = .leakyRelu(alpha)
        case .sigmoid: self = .sigmoid
        default: preconditionFailure("no trainable layer for \(activation)")
        }
    }

    /// The inference runtime's equivalent, fused into its kernels' epilogues.
    var runtime: Activation {
        switch self {
        case .identity: .none
        case .leakyRelu(let alpha): .leakyRelu(alpha: alpha)
        case .sigmoid: .sigmoid
        }
    }

    /// `gradient *= f'(z)` in place, where `output = f(z)`; leaky ReLU (alpha > 0) keeps the sign of z.
    func backward(output: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity: return
        case .leakyRelu(let alpha):
            var i = 0
            let a = SIMD16<Float>(repeating: alpha)
            while i + 16 <= count {
                let y = SIMD16<Float>(loading: output + i), g = SIMD16<Float>(loading: gradient + i)
                g.replacing(with: g * a, where: y .< 0).store(into: gradient + i)
                i += 16
            }
            while i < count { if output[i] < 0 { gradient[i] *= alpha }; i += 1 }
        case .sigmoid:
            var i = 0
            while i + 16 <= count {
                let y = SIMD16<Float>(loading: output + i), g = SIMD16<Float>(loading: gradient + i)
                (g * (y * (1 - y))).store(into: gradient + i)
                i += 16
            }
            while i < count { gradient[i] *= output[i] * (1 - output[i]); i += 1 }
        }
    }
}
