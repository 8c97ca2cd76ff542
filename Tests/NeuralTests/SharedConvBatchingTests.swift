import Testing
@testable import Neural

/// Two calls of one large conv (LIAE's decoder on two codes) run as one batch-2 conv, with the same output.
@Suite struct SharedConvBatchingTests {
    @Test func callsOfOneConvRunAsABatch() {
        let (size, c) = (7, 256)  // 3×3×256×256 weights: 2.4 MB, above the 1 MB the rewrite asks for
        let g = WindowGeometry(input: [1, size, size, c], kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1, padding: .same)!
        let conv = Conv2D(geometry: g, inChannels: c, outChannels: c, weights: TensorOpsTests.random(9 * c * c, seed: 41),
                          bias: TensorOpsTests.random(c, seed: 42), activation: .none).fusing(.leakyRelu(alpha: 0.1))! as! Conv2D
        let shape: TensorShape = [1, size, size, c]
        // a = conv(x) and c = conv(y) can share a pass (y is an input); b = conv(a) cannot (a is made by the first).
        let nodes: [Graph.Node] = [
            .init(operation: .kernel(conv), inputs: [0], output: 2),
            .init(operation: .kernel(conv), inputs: [2], output: 3),
            .init(operation: .kernel(conv), inputs: [1], output: 4),
        ]
        let graph = Graph(shapes: [TensorShape](repeating: shape, count: 5), names: ["x", "y", "a", "b", "c"],
                          nodes: nodes, inputs: [0, 1], outputs: [3, 4])
        let convs = graph.nodes.compactMap { node -> Conv2D? in
            if case .kernel(let k) = node.operation { k as? Conv2D } else { nil }
        }
        #expect(convs.map(\.geometry.batch).sorted() == [1, 2], "one batched pair and one single call")
        #expect(convs.allSatisfy { $0.weights === conv.weights }, "the batch shares the packed weights")

        let x = TensorOpsTests.random(shape.count, seed: 43), y = TensorOpsTests.random(shape.count, seed: 44)
        let out = GraphExecutor(graph: graph).run([Tensor(shape: shape, values: x), Tensor(shape: shape, values: y)])
        let zero = [Float](repeating: 0, count: shape.count)
        let a = PackedGEMMTests.run(conv, x, zero, threads: 1)
        #expect(out[0].scalars == PackedGEMMTests.run(conv, a, zero, threads: 1))
        #expect(out[1].scalars == PackedGEMMTests.run(conv, y, zero, threads: 1))
    }

    @Test func smallConvsAreLeftAlone() {
        let g = WindowGeometry(input: [1, 7, 7, 32], kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1, padding: .same)!
        let conv = Conv2D(geometry: g, inChannels: 32, outChannels: 32, weights: TensorOpsTests.random(9 * 32 * 32, seed: 45),
                          bias: nil, activation: .none)
        let graph = Graph(shapes: [TensorShape](repeating: [1, 7, 7, 32], count: 4), names: ["x", "y", "a", "b"],
                          nodes: [.init(operation: .kernel(conv), inputs: [0], output: 2),
                                  .init(operation: .kernel(conv), inputs: [1], output: 3)],
                          inputs: [0, 1], outputs: [2, 3])
        #expect(graph.kernelCount == 2)
    }
}
