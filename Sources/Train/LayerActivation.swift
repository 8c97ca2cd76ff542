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

    /// ``backward(output:gradient:count:)`` over `rows × columns` and the column sums of the result added to `sums`
    /// (a bias gradient), in one pass: with two threads or more and enough work, the threads take halves of the
    /// columns (each column's sum in row order, as a single thread adds it), else halves of the rows for the
    /// derivative and one thread for the sums.
    func backward(output: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                  summingInto sums: UnsafeMutablePointer<Float>, threads: Int) {
        let parallel = threads > 1 && rows * columns >= Self.parallelFloats
        if parallel && columns >= 32 {
            let half = (columns / 2 + 15) / 16 * 16
            forEachSlice(2, threads: threads) { s in
                let lo = s == 0 ? 0 : half, count = s == 0 ? half : columns - half
                for r in 0..<rows {
                    let row = r * columns + lo
                    backward(output: output + row, gradient: gradient + row, count: count)
                    accumulate(sums + lo, gradient + row, count: count)
                }
            }
            return
        }
        if parallel {
            forEachSlice(2, threads: threads) { s in
                let part = Parallel.share(rows, s, of: 2)
                let start = part.lowerBound * columns
                backward(output: output + start, gradient: gradient + start, count: part.count * columns)
            }
        } else {
            backward(output: output, gradient: gradient, count: rows * columns)
        }
        addColumnSums(gradient, rows: rows, columns: columns, into: sums)
    }

    /// Elements from which the backward pass is split over threads (a dispatch costs ~10 µs).
    static var parallelFloats: Int { 1 << 16 }
}
