import Foundation

/// Elementwise unary functions that are not activations (no fusion into a producer).
enum UnaryOperator: String, Sendable {
    case sqrt, reciprocal, neg, exp, abs

    @inline(__always)
    func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .sqrt: x.squareRoot()
        case .reciprocal: 1 / x
        case .neg: -x
        case .exp: Foundation.exp(x)
        case .abs: Swift.abs(x)
        }
    }
}

/// `out = f(x)` elementwise.
struct UnaryElementwise: Kernel {
    let op: UnaryOperator
    let count: Int

    var label: String { "\(op.rawValue) [\(count)]" }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let x = inputs[0], op = op
        for i in 0..<count { output[i] = op(x[i]) }
    }
}

/// `out = a ⊕ b` with NumPy broadcasting (rank ≤ 6), for operands of different shapes (a per-row scale, a norm).
/// Same-shape operands use ``BinaryElementwise``, which is vectorised.
struct BroadcastBinary: Kernel {
    let op: BinaryOperator
    let outDims: [Int]
    /// Strides of each operand along the output axes (0 where it broadcasts).
    let stridesA: [Int], stridesB: [Int]

    /// `a` and `b` have the output's rank (pad with leading 1s) and broadcast to `output`.
    init(op: BinaryOperator, a: TensorShape, b: TensorShape, output: TensorShape) {
        precondition(a.rank == output.rank && b.rank == output.rank)
        func strides(_ s: TensorShape) -> [Int] {
            var st = [Int](repeating: 0, count: s.rank)
            var acc = 1
            for d in s.dims.indices.reversed() {
                st[d] = s[d] == 1 ? 0 : acc
                acc *= s[d]
            }
            return st
        }
        self.op = op
        outDims = output.dims
        stridesA = strides(a)
        stridesB = strides(b)
    }

    var label: String { "BroadcastBinary \(TensorShape(outDims))" }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let a = inputs[0], b = inputs[1], op = op
        let rank = outDims.count
        let total = outDims.reduce(1, *)
        var index = [Int](repeating: 0, count: rank)
        var oa = 0, ob = 0
        for o in 0..<total {
            output[o] = op(a[oa], b[ob])
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                oa += stridesA[d]
                ob += stridesB[d]
                if index[d] < outDims[d] { break }
                oa -= stridesA[d] * outDims[d]
                ob -= stridesB[d] * outDims[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}
