@testable import Train
@testable import Neural

/// Finite-difference checks of backward passes: central differences of a scalar loss (accumulated in Double)
/// against the analytic gradient, over a random sample of coordinates per tensor.
enum GradientCheck {
    /// ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) over the sampled coordinates.
    static func relativeError(_ analytic: [Double], _ numeric: [Double]) -> Double {
        let diff = zip(analytic, numeric).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let a = analytic.map { $0 * $0 }.reduce(0, +).squareRoot(), n = numeric.map { $0 * $0 }.reduce(0, +).squareRoot()
        return diff / max(a, n, 1e-9)
    }

    /// Compares `analytic[i]` with the central difference of `loss` when `storage[i]` moves by ±eps.
    static func compare(storage: UnsafeMutablePointer<Float>, count: Int, analytic: (Int) -> Float, samples: Int,
                        eps: Float, random: inout RandomSource, loss: () -> Double) -> Double {
        let indices = count <= samples ? Array(0..<count) : (0..<samples).map { _ in Int(random.next() % UInt64(count)) }
        var a: [Double] = [], n: [Double] = []
        for i in indices {
            let saved = storage[i]
            storage[i] = saved + eps
            let plus = loss()
            storage[i] = saved - eps
            let minus = loss()
            storage[i] = saved
            n.append((plus - minus) / Double(2 * eps))
            a.append(Double(analytic(i)))
        }
        return relativeError(a, n)
    }

    /// Checks a module under the loss `Σ r·y` with random input and projection `r`: returns the relative error of
    /// the input gradient (if any) and of every parameter's gradient, keyed by name.
    static func check(_ module: any Module, batch: Int, seed: UInt64 = 7, eps: Float = 3e-4, samples: Int = 16) -> [String: Double] {
        var random = RandomSource(seed: seed)
        module.initialize(random: &random)
        for p in module.parameters where p.shape.count == 1 {
            for i in 0..<p.count { p.value.baseAddress[i] = random.uniform(-0.2, 0.2) }
        }
        let x = AlignedBuffer(count: batch * module.inputCount)
        for i in 0..<x.count { x.baseAddress[i] = random.uniform(-1, 1) }
        let outCount = batch * module.outputCount
        let r = (0..<outCount).map { _ in Double(random.uniform(-1, 1)) }
        func loss() -> Double {
            let y = module.forward(x.baseAddress)
            var total = 0.0
            for i in 0..<outCount { total += r[i] * Double(y[i]) }
            return total
        }
        module.parameters.forEach { $0.zeroGradient() }
        _ = loss()
        let dy = AlignedBuffer(r.map { Float($0) })
        let dxPointer = module.backward(dy.baseAddress)
        var errors: [String: Double] = [:]
        if let dxPointer {
            let dx = Array(UnsafeBufferPointer(start: dxPointer, count: x.count))
            errors["input"] = compare(storage: x.baseAddress, count: x.count, analytic: { dx[$0] }, samples: samples,
                                      eps: eps, random: &random, loss: loss)
        }
        for p in module.parameters {
            let g = p.gradient.array
            errors[p.name] = compare(storage: p.value.baseAddress, count: p.count, analytic: { g[$0] }, samples: samples,
                                     eps: eps, random: &random, loss: loss)
        }
        return errors
    }

    /// Directional check for deep networks, where single coordinates move a float32 loss by less than its rounding:
    /// moves the whole tensor along `d = ĝ + r/2` (ĝ the unit analytic gradient, r a random unit vector, so
    /// `g·d ≥ ‖g‖/2` stays well above rounding) and compares the central difference with `g·d`. Returns the relative error.
    static func directional(_ p: Parameter, eps: Float, random: inout RandomSource, loss: () -> Double) -> Double {
        let g = p.gradient.array
        let gNorm = g.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        guard gNorm > 0 else { return 0 }
        var r = (0..<p.count).map { _ in Double(random.normal()) }
        let rNorm = r.map { $0 * $0 }.reduce(0, +).squareRoot()
        r = r.map { $0 / rNorm }
        let d = (0..<p.count).map { Double(g[$0]) / gNorm + r[$0] / 2 }
        let analytic = zip(g, d).map { Double($0) * $1 }.reduce(0, +)
        let saved = p.values
        func shifted(_ sign: Double) -> Double {
            for i in 0..<p.count { p.value.baseAddress[i] = Float(Double(saved[i]) + sign * Double(eps) * d[i]) }
            return loss()
        }
        let numeric = (shifted(1) - shifted(-1)) / (2 * Double(eps))
        p.assign(saved)
        return abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-12)
    }
}
