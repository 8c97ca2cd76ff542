import Foundation
import Neural

/// Adam (Kingma & Ba) with bias correction; DeepFaceLab's defaults (β₁ 0.5, β₂ 0.999).
public final class AdamOptimizer {
    public struct Settings: Sendable, Equatable {
        public var learningRate: Float
        public var beta1: Float = 0.5
        public var beta2: Float = 0.999
        public var epsilon: Float = 1e-7

        public init(learningRate: Float = 5e-5) { self.learningRate = learningRate }
    }

    public let settings: Settings
    let parameters: [Parameter]
    /// First and second moments, one pair per parameter.
    let firstMoments: [AlignedBuffer]
    let secondMoments: [AlignedBuffer]
    /// Steps taken (the bias correction's t).
    public internal(set) var step: Int = 0

    init(parameters: [Parameter], settings: Settings) {
        self.parameters = parameters
        self.settings = settings
        firstMoments = parameters.map { AlignedBuffer(count: $0.count) }
        secondMoments = parameters.map { AlignedBuffer(count: $0.count) }
    }

    /// Applies the accumulated gradients at `learningRateScale` × the learning rate, then clears them.
    func update(threads: Int, learningRateScale: Float = 1) {
        step += 1
        let s = settings
        let correction1 = 1 - Foundation.pow(s.beta1, Float(step)), correction2 = 1 - Foundation.pow(s.beta2, Float(step))
        let rate = s.learningRate * learningRateScale * correction2.squareRoot() / correction1
        let epsilon = s.epsilon * correction2.squareRoot()
        forEachSlice(parameters.count, threads: threads) { i in
            let p = parameters[i]
            let w = p.value.baseAddress, g = p.gradient.baseAddress
            let m = firstMoments[i].baseAddress, v = secondMoments[i].baseAddress
            // 16 lanes at a time, each the scalar tail's operations in the same order (same results, one pass).
            typealias V = SIMD16<Float>
            let b1 = V(repeating: s.beta1), c1 = V(repeating: 1 - s.beta1), b2 = V(repeating: s.beta2)
            let c2 = V(repeating: 1 - s.beta2), r = V(repeating: rate), e = V(repeating: epsilon)
            var j = 0
            while j + 16 <= p.count {
                let gj = V(loading: g + j)
                let mj = b1 * V(loading: m + j) + c1 * gj
                let vj = b2 * V(loading: v + j) + c2 * gj * gj
                mj.store(into: m + j)
                vj.store(into: v + j)
                (V(loading: w + j) - r * mj / (vj.squareRoot() + e)).store(into: w + j)
                V().store(into: g + j)
                j += 16
            }
            while j < p.count {
                let gj = g[j]
                m[j] = s.beta1 * m[j] + (1 - s.beta1) * gj
                v[j] = s.beta2 * v[j] + (1 - s.beta2) * gj * gj
                w[j] -= rate * m[j] / (v[j].squareRoot() + epsilon)
                g[j] = 0
                j += 1
            }
        }
    }
}
