import Foundation
import Testing
@testable import Neural
@testable import Train
import Swap
import TestSupport

/// `--precision bf16` against fp32 on a real face (the astronaut crop of the ONNX fixtures), through the `.dfm`
/// path a user takes: a df and a liae model with the trainer's initial weights (output heads scaled up), exported
/// as `.dfm` and imported.
/// Unlike the random-weight fixtures, whose large logits saturate the sigmoid heads, these models' outputs sit in
/// the sigmoid's steep middle, where bf16's rounding of the logits shows most — the test checks that they do.
@Suite(.enabled(if: BFloat16Panels.isSupported, "this CPU has no AVX512_BF16: the bf16 path cannot run here"))
struct DFMBFloat16Tests {
    static let headGain: Float = 500

    @Test(arguments: [SwapArchitecture.df, .liae])
    func bf16StaysWithinTwoLevelsOnARealFace(_ architecture: SwapArchitecture) throws {
        // Widths whose convs all take the bf16 tiles (even inputs, outputs in multiples of 16).
        let config = SwapModelConfig(architecture: architecture, resolution: 64, aeDims: 64, eDims: 16, dDims: 16,
                                     dMaskDims: 16, residualBlocks: true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dfm-bf16-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = makeTrainingModel(config, batch: 1, threads: 1)
        model.initialize(seed: 21)
        // Freshly initialised heads give logits within ±0.01 (every output ≈ 0.5): scaled up, the sigmoids span
        // their steep range instead. The network is positively homogeneous (LeakyReLU, zero biases), so this is
        // the same as larger activations throughout; bf16's relative rounding scales with them.
        let heads = model.parameters.filter { $0.name.hasSuffix("out.weight") }
        #expect(heads.count >= 2, "no output heads among \(model.parameters.map(\.name))")
        for p in heads { for i in 0..<p.count { p.value.baseAddress[i] *= Self.headGain } }
        let url = dir.appendingPathComponent("model.safetensors")
        try SwapModelFile.write(config: config, parameters: model.parameters, to: url)
        let onnx = try ONNXModel(bytes: DFMExport.export(url, direction: .dstToSrc))
        let fp32 = try DFMModel(onnx), bf16 = try DFMModel(onnx, precision: .bf16)
        let converted = bf16.graph.nodes.filter { node in
            if case .kernel(let k) = node.operation, let conv = k as? Conv2D { conv.bfloat16 != nil } else { false }
        }
        #expect(converted.count >= 10, "only \(converted.count) convs run in bf16")

        let face = try NumpyArray(contentsOf: TestResources.fixtures.appendingPathComponent("onnx/torch_df_u_64_op13_in_face.npy"))
        #expect(face.shape == [1, 64, 64, 3])
        let input = [Tensor(shape: TensorShape(face.shape), values: face.values)]
        let exact = GraphExecutor(graph: fp32.graph).run(input), rounded = GraphExecutor(graph: bf16.graph).run(input)
        var anyDifference = false
        for (k, (e, r)) in zip(exact, rounded).enumerated() {
            let want = e.withUnsafeBufferPointer { Array($0) }, got = r.withUnsafeBufferPointer { Array($0) }
            // Not saturated: most values away from 0 and 1, and spread (not a constant image).
            let inRange = Double(want.filter { $0 > 0.02 && $0 < 0.98 }.count) / Double(want.count)
            let spread = want.max()! - want.min()!
            #expect(inRange >= 0.9 && spread >= 0.25, "output \(k): \(inRange * 100) % in 0.02…0.98, spread \(spread)")
            let worst = zip(got, want).map { abs($0 - $1) }.max()!
            #expect(worst <= 2.0 / 255, "\(architecture) output \(k): max |Δ| \(worst * 255)/255")
            print("bf16 \(architecture) output \(k): max |Δ| \(worst * 255)/255, \(inRange * 100) % in 0.02…0.98, spread \(spread)")
            anyDifference = anyDifference || worst > 0
        }
        #expect(anyDifference, "bf16 left no trace: the bf16 path did not run")
    }
}
