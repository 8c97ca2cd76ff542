import Foundation
import Testing
@testable import Train
import Neural
import Swap
import TestSupport

/// `facelive model --export`: a trained model written as a `.dfm` and read back through the ONNX importer must
/// paint the same face and mask as facelive's own inference.
@Suite struct DFMExportTests {
    static func modelFile(_ config: SwapModelConfig, seed: UInt64, in dir: URL) throws -> URL {
        let model = makeTrainingModel(config, batch: 1, threads: 1)
        model.initialize(seed: seed)
        let url = dir.appendingPathComponent("model-\(seed).safetensors")
        try SwapModelFile.write(config: config, parameters: model.parameters, to: url)
        return url
    }

    @Test(arguments: [
        (SwapModelConfig(architecture: .df, resolution: 32, aeDims: 32, eDims: 8, dDims: 8, dMaskDims: 4, residualBlocks: true), SwapDirection.dstToSrc),
        (SwapModelConfig(architecture: .liae, resolution: 32, aeDims: 16, eDims: 8, dDims: 8, dMaskDims: 4, residualBlocks: false), .dstToSrc),
        (SwapModelConfig(architecture: .liae, resolution: 32, aeDims: 16, eDims: 8, dDims: 8, dMaskDims: 4, residualBlocks: true), .srcToDst),
    ])
    func reimportedExportMatches(_ config: SwapModelConfig, _ direction: SwapDirection) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dfm-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.modelFile(config, seed: 11, in: dir)
        let bytes = try DFMExport.export(url, direction: direction)
        let onnx = try ONNXModel(bytes: bytes)
        #expect(Set(onnx.initializers.map(\.name)).count == onnx.initializers.count, "initializer names must be unique")
        #expect(onnx.opset == 13 && onnx.graphName == "SAEHD")
        let dfm = try DFMModel(onnx)
        #expect(dfm.resolution == config.resolution && !dfm.hasMorph)

        let r = config.resolution
        var rng = SeededRandom(seed: 3)
        let rgb = (0 ..< r * r * 3).map { _ in Float(rng.next() % 256) / 255 }
        let own = try TrainedSwapModel(contentsOf: url, direction: direction).swap(rgb)
        let executor = GraphExecutor(graph: dfm.graph)
        executor.withInput(0) { dst in for p in 0 ..< r * r { for c in 0..<3 { dst[3 * p + c] = rgb[3 * p + 2 - c] } } }
        executor.run()
        let face = executor.withOutput(1) { Array($0) }, celebMask = executor.withOutput(2) { Array($0) }
        var faceDelta: Float = 0
        for p in 0 ..< r * r {
            for c in 0..<3 { faceDelta = max(faceDelta, abs(face[3 * p + c] - own.face[3 * p + 2 - c])) }
        }
        let maskDelta = zip(celebMask, own.mask).map { abs($0 - $1) }.max()!
        #expect(faceDelta <= 1e-4 && maskDelta <= 1e-4, "face Δ \(faceDelta), mask Δ \(maskDelta)")
        // The input face's own mask is a different decoder path: valid, and not the swapped face's mask.
        let dstMask = executor.withOutput(0) { Array($0) }
        #expect(dstMask.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(zip(dstMask, celebMask).map { abs($0 - $1) }.max()! > 1e-3)
    }
}
