import Testing
@testable import Train
@testable import Neural

/// The convolution backward kernels against a direct double-precision evaluation of the definitions: every
/// element of dL/dInput, dL/dWeight and dL/dBias within 1e-4 (relative to the largest magnitude).
@Suite struct ConvBackwardTests {
    /// Layer shapes that take each kernel path: stride-1 3×3 (transposed conv), 1×1, stride-2 5×5 (col2im), wide
    /// outputs (OpenBLAS forward), channel counts that leave partial register tiles.
    static let shapes: [(size: Int, cin: Int, cout: Int, kernel: Int, stride: Int)] = [
        (7, 5, 24, 3, 1), (6, 20, 40, 3, 1), (5, 9, 600, 3, 1), (4, 96, 3, 1, 1), (9, 6, 10, 5, 2), (8, 3, 24, 5, 2),
        (6, 48, 72, 3, 1),
    ]

    @Test(arguments: 0..<shapes.count)
    func matchesDirectEvaluation(_ index: Int) {
        let s = Self.shapes[index], batch = 4
        let context = ModuleContext(batch: batch, training: true, threads: 2)
        let conv = ConvLayer(name: "c", height: s.size, width: s.size, inChannels: s.cin, outChannels: s.cout,
                             kernel: s.kernel, stride: s.stride, activation: .identity, context: context)
        var random = RandomSource(seed: UInt64(11 + index))
        conv.initialize(random: &random)
        let x = AlignedBuffer(count: batch * conv.inputCount)
        for i in 0..<x.count { x.baseAddress[i] = random.uniform(-1, 1) }
        let dy = (0..<(batch * conv.outputCount)).map { _ in random.uniform(-1, 1) }
        _ = conv.forward(x.baseAddress)
        conv.parameters.forEach { $0.zeroGradient() }
        let g = AlignedBuffer(dy)
        let dx = Array(UnsafeBufferPointer(start: conv.backward(g.baseAddress)!, count: x.count))

        // Direct: y[n][oy][ox][co] = Σ x[n][oy·s+ky−pad][ox·s+kx−pad][ci] · w[ky][kx][ci][co].
        let geo = conv.geometry, k = s.kernel, w = conv.weight.values
        var refX = [Double](repeating: 0, count: x.count), refW = [Double](repeating: 0, count: w.count)
        var refB = [Double](repeating: 0, count: s.cout)
        for n in 0..<batch {
            for oy in 0..<geo.outHeight {
                for ox in 0..<geo.outWidth {
                    let o = ((n * geo.outHeight + oy) * geo.outWidth + ox) * s.cout
                    for co in 0..<s.cout { refB[co] += Double(dy[o + co]) }
                    for ky in 0..<k {
                        let iy = oy * geo.strideY - geo.padTop + ky
                        guard iy >= 0 && iy < s.size else { continue }
                        for kx in 0..<k {
                            let ix = ox * geo.strideX - geo.padLeft + kx
                            guard ix >= 0 && ix < s.size else { continue }
                            let xi = ((n * s.size + iy) * s.size + ix) * s.cin
                            for ci in 0..<s.cin {
                                let wi = ((ky * k + kx) * s.cin + ci) * s.cout
                                var sx = 0.0
                                for co in 0..<s.cout {
                                    sx += Double(dy[o + co]) * Double(w[wi + co])
                                    refW[wi + co] += Double(dy[o + co]) * Double(x.baseAddress[xi + ci])
                                }
                                refX[xi + ci] += sx
                            }
                        }
                    }
                }
            }
        }
        Self.expectClose(dx, refX, "input gradient")
        Self.expectClose(conv.weight.gradient.array, refW, "weight gradient")
        Self.expectClose(conv.bias.gradient.array, refB, "bias gradient")
    }

    static func expectClose(_ actual: [Float], _ expected: [Double], _ what: String) {
        #expect(actual.count == expected.count)
        let scale = max(expected.map(abs).max() ?? 0, 1e-6)
        let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst / scale <= 1e-4, "\(what): max error \(worst / scale) of the largest magnitude")
    }
}
