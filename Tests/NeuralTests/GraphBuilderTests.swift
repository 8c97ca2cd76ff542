import Testing
@testable import Neural

/// Graphs built op by op (as the swap-model compiler does) against the same kernels run one at a time.
@Suite struct GraphBuilderTests {
    /// `[kh][kw][Cin][Cout]` → `[Cout][kh][kw][Cin]`.
    static func ohwi(_ hwio: [Float], k: Int, cin: Int, cout: Int) -> [Float] {
        var out = [Float](repeating: 0, count: hwio.count)
        for i in 0..<(k * k * cin) { for o in 0..<cout { out[o * k * k * cin + i] = hwio[i * cout + o] } }
        return out
    }

    @Test("HWIO weights, a residual block fused into one conv, reshape, dense, depth-to-space and concatenation")
    func builtGraphMatchesKernelByKernel() {
        let (size, c) = (6, 8)
        let x = TensorOpsTests.random(size * size * c, seed: 11)
        let w1 = TensorOpsTests.random(9 * c * c, seed: 12), b1 = TensorOpsTests.random(c, seed: 13)
        let w2 = TensorOpsTests.random(9 * c * c, seed: 14), b2 = TensorOpsTests.random(c, seed: 15)
        let fc = TensorOpsTests.random(16 * size * size * c, seed: 16), fcBias = TensorOpsTests.random(16, seed: 17)

        var builder = GraphBuilder()
        let input = builder.input("x", shape: [1, size, size, c])
        let h = builder.conv2D(input, name: "conv1", weights: w1, layout: .hwio, outChannels: c, kernel: (3, 3), bias: b1,
                               activation: .leakyRelu(alpha: 0.1))
        let conv2 = builder.conv2D(h, name: "conv2", weights: w2, layout: .hwio, outChannels: c, kernel: (3, 3), bias: b2)
        let block = builder.activation(builder.add(conv2, input, name: "add"), .leakyRelu(alpha: 0.2), name: "block")
        let flat = builder.reshape(block, name: "flat", to: [1, size * size * c])
        let dense = builder.fullyConnected(flat, name: "fc", weights: fc, outFeatures: 16, bias: fcBias)
        let map = builder.reshape(dense, name: "map", to: [1, 2, 2, 4])
        let shuffled = builder.depthToSpace(map, name: "shuffle", block: 2)
        let joined = builder.concatenate([shuffled, shuffled], name: "join", axis: 3)
        let graph = builder.build(outputs: [joined, block])
        #expect(graph.kernelCount == 5, "conv1, conv2 with the add and activation, fc, depth-to-space, concat")
        #expect(graph.outputShapes == [[1, 4, 4, 2], [1, size, size, c]])
        let out = GraphExecutor(graph: graph).run([Tensor(shape: [1, size, size, c], values: x)])

        // Kernel by kernel, OHWI weights, unfused.
        let g = WindowGeometry(input: [1, size, size, c], kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1, padding: .same)!
        let n = size * size * c
        let h1 = TensorOpsTests.run(Conv2D(geometry: g, inChannels: c, outChannels: c, weights: Self.ohwi(w1, k: 3, cin: c, cout: c),
                                           bias: b1, activation: .leakyRelu(alpha: 0.1)), [x], outputCount: n)
        let z = TensorOpsTests.run(Conv2D(geometry: g, inChannels: c, outChannels: c, weights: Self.ohwi(w2, k: 3, cin: c, cout: c),
                                          bias: b2, activation: .none), [h1], outputCount: n)
        let expectedBlock = zip(z, x).map { $0 + $1 < 0 ? 0.2 * ($0 + $1) : $0 + $1 }
        let d = TensorOpsTests.run(FullyConnected(rows: 1, inFeatures: n, outFeatures: 16, weights: fc, bias: fcBias,
                                                  activation: .none), [expectedBlock], outputCount: 16)
        let s = TensorOpsTests.run(DepthToSpace(input: [1, 2, 2, 4], block: 2), [d], outputCount: 16)
        let expectedJoined = (0..<16).flatMap { p in [s[p], s[p]] }
        TensorOpsTests.expectClose(out[1].scalars, expectedBlock)
        TensorOpsTests.expectClose(out[0].scalars, expectedJoined)
    }
}
