import Testing
@testable import Neural

/// The depth-blocked and threaded sweeps of ``PackedGEMM`` (large weights, or more than one thread) against a
/// direct double-precision convolution, and against each other: the same products in the same order, so one
/// thread and two give the same bits.
@Suite struct PackedGEMMTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var size: Int, cin: Int, cout: Int, kernel: Int
        var testDescription: String { "\(size)²×\(cin)→\(cout) k\(kernel)" }
    }

    @Test(arguments: [
        Case(size: 7, cin: 300, cout: 100, kernel: 3),  // 1 MB of weights: depth blocks, columns split, 7-row tiles
        Case(size: 28, cin: 96, cout: 24, kernel: 3),  // 784 rows: 7-row tiles, six row items, padded copy split
        Case(size: 24, cin: 32, cout: 64, kernel: 3),  // 576 rows: 6-row tiles, rows split over the threads
        Case(size: 45, cin: 40, cout: 56, kernel: 1),  // pointwise (dense rows), partial row block and column tail
    ])
    func blockedAndThreadedMatchDirect(_ c: Case) {
        let pixels = c.size * c.size
        let x = TensorOpsTests.random(pixels * c.cin, seed: 21)
        let w = TensorOpsTests.random(c.cout * c.kernel * c.kernel * c.cin, seed: 22)
        let bias = TensorOpsTests.random(c.cout, seed: 23)
        let residual = TensorOpsTests.random(pixels * c.cout, seed: 24)
        let g = WindowGeometry(input: [1, c.size, c.size, c.cin], kernelHeight: c.kernel, kernelWidth: c.kernel,
                               strideY: 1, strideX: 1, padding: .same)!
        let conv = Conv2D(geometry: g, inChannels: c.cin, outChannels: c.cout, weights: w, bias: bias, activation: .none)
            .fusingResidual(channels: c.cout)!.fusing(.leakyRelu(alpha: 0.1))! as! Conv2D
        let pad = c.kernel / 2
        var expected = [Float](repeating: 0, count: pixels * c.cout)
        var largest: Float = 0
        for y in 0..<c.size { for x0 in 0..<c.size { for o in 0..<c.cout {
            var sum = Double(bias[o]) + Double(residual[(y * c.size + x0) * c.cout + o])
            for ky in 0..<c.kernel { for kx in 0..<c.kernel {
                let iy = y - pad + ky, ix = x0 - pad + kx
                guard iy >= 0, iy < c.size, ix >= 0, ix < c.size else { continue }
                for i in 0..<c.cin {
                    sum += Double(x[(iy * c.size + ix) * c.cin + i]) * Double(w[((o * c.kernel + ky) * c.kernel + kx) * c.cin + i])
                }
            } }
            let v = Float(sum > 0 ? sum : 0.1 * sum)
            expected[(y * c.size + x0) * c.cout + o] = v
            largest = max(largest, abs(v))
        } } }
        let one = Self.run(conv, x, residual, threads: 1), two = Self.run(conv, x, residual, threads: 2)
        #expect(one == two, "one thread and two differ")
        let worst = zip(one, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * max(1, largest), "max |Δ| \(worst) of \(largest)")
    }

    static func run(_ conv: Conv2D, _ x: [Float], _ residual: [Float], threads: Int) -> [Float] {
        let inputs = [AlignedBuffer(x), AlignedBuffer(residual)]
        let output = AlignedBuffer(count: residual.count)
        let scratch = AlignedBuffer(count: conv.scratchCount)
        let pointers = inputs.map { UnsafePointer($0.baseAddress) }
        withExtendedLifetime((inputs, scratch)) {
            pointers.withUnsafeBufferPointer {
                conv.run(inputs: $0, output: output.baseAddress, scratch: scratch.baseAddress, threads: threads)
            }
        }
        return output.array
    }

    /// The dense layers' matrix-vector product (``MatrixVector``), rows split over threads, against a direct sum;
    /// row and depth counts that leave tails (not multiples of 4 rows or 16 lanes).
    @Test func matrixVectorMatchesDirect() {
        let n = 1_031, k = 4_103
        let w = TensorOpsTests.random(n * k, seed: 31), x = TensorOpsTests.random(k, seed: 32)
        let weights = AlignedBuffer(w), input = AlignedBuffer(x)
        var results: [[Float]] = []
        for threads in [1, 2] {
            let y = AlignedBuffer(count: n)
            MatrixVector.multiply(n: n, k: k, w: weights.baseAddress, x: input.baseAddress, y: y.baseAddress, threads: threads)
            results.append(y.array)
        }
        #expect(results[0] == results[1], "one thread and two differ")
        var worst: Double = 0
        for r in 0..<n {
            var sum = 0.0
            for i in 0..<k { sum += Double(w[r * k + i]) * Double(x[i]) }
            worst = max(worst, abs(Double(results[0][r]) - sum))
        }
        #expect(worst <= 1e-3, "max |Δ| \(worst)")
    }
}
