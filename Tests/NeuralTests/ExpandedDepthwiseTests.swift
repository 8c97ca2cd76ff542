import Testing
@testable import Neural

/// The graph fuses a large 1×1 expansion into the depthwise conv after it (``ExpandedDepthwiseConv2D``); the fused
/// kernel makes the same numbers as the two kernels apart.
@Suite struct ExpandedDepthwiseTests {
    @Test(arguments: [(40, 37, 3, 1, Padding.same), (41, 38, 3, 2, .same), (39, 40, 5, 2, .same), (38, 41, 5, 1, .valid)])
    func fusedExpansionMatchesTheTwoKernels(_ h: Int, _ w: Int, _ k: Int, _ s: Int, _ padding: Padding) throws {
        let (cin, c) = (16, 96)  // 37×40×96 floats and more: above the fusion's size floor
        let x = TensorOpsTests.random(h * w * cin, seed: 31)
        let pointwise = try #require(WindowGeometry(input: [1, h, w, cin], kernelHeight: 1, kernelWidth: 1, strideY: 1, strideX: 1, padding: .valid))
        let expand = Conv2D(geometry: pointwise, inChannels: cin, outChannels: c, weights: TensorOpsTests.random(c * cin, seed: 32),
                            bias: TensorOpsTests.random(c, seed: 33), activation: .relu6)
        let g = try #require(WindowGeometry(input: [1, h, w, c], kernelHeight: k, kernelWidth: k, strideY: s, strideX: s, padding: padding))
        let depthwise = DepthwiseConv2D(geometry: g, channels: c, weights: TensorOpsTests.random(k * k * c, seed: 34),
                                        bias: TensorOpsTests.random(c, seed: 35), activation: .relu6)
        let shapes: [TensorShape] = [[1, h, w, cin], [1, h, w, c], [1, g.outHeight, g.outWidth, c]]
        let graph = Graph(shapes: shapes, names: ["x", "expanded", "y"],
                          nodes: [.init(operation: .kernel(expand), inputs: [0], output: 1),
                                  .init(operation: .kernel(depthwise), inputs: [1], output: 2)],
                          inputs: [0], outputs: [2])
        #expect(graph.kernelCount == 1)
        #expect(graph.flopsPerRun == 2 * h * w * cin * c + 2 * g.outHeight * g.outWidth * k * k * c)

        let expanded = TensorOpsTests.run(expand, [x], outputCount: h * w * c)
        let expected = TensorOpsTests.run(depthwise, [expanded], outputCount: shapes[2].count)
        let out = GraphExecutor(graph: graph).run([Tensor(shape: shapes[0], values: x)])
        TensorOpsTests.expectClose(out[0].scalars, expected, tolerance: 0)
    }

    @Test func smallExpansionsStayApart() throws {
        let pointwise = try #require(WindowGeometry(input: [1, 14, 14, 48], kernelHeight: 1, kernelWidth: 1, strideY: 1, strideX: 1, padding: .valid))
        let expand = Conv2D(geometry: pointwise, inChannels: 48, outChannels: 288, weights: TensorOpsTests.random(48 * 288, seed: 1),
                            bias: nil, activation: .relu6)
        let g = try #require(WindowGeometry(input: [1, 14, 14, 288], kernelHeight: 3, kernelWidth: 3, strideY: 1, strideX: 1, padding: .same))
        let depthwise = DepthwiseConv2D(geometry: g, channels: 288, weights: TensorOpsTests.random(9 * 288, seed: 2), bias: nil, activation: .relu6)
        #expect(ExpandedDepthwiseConv2D(expand: expand, depthwise: depthwise) == nil)
    }
}
