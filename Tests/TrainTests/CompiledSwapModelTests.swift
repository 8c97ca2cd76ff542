import Foundation
import Neural
import Testing
@testable import Swap
@testable import Train

/// `TrainedSwapModel` compiles a model file into the runtime's graph; its output must be the training layers'.
@Suite struct CompiledSwapModelTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var architecture: SwapArchitecture
        var residualBlocks: Bool
        var dtype: SafetensorsFile.DType
        var testDescription: String { "\(architecture)\(residualBlocks ? " +res" : "") \(dtype.rawValue)" }
    }

    static let cases: [Case] = SwapArchitecture.allCases.flatMap { arch in
        [false, true].flatMap { res in [SafetensorsFile.DType.f32, .f16].map { Case(architecture: arch, residualBlocks: res, dtype: $0) } }
    }

    /// Both directions of the compiled model against the training layers' forward pass (batch: one source face, one
    /// destination face): `dst_to_src` on the destination face is the swap, on the source face its reconstruction;
    /// `src_to_dst` on the destination face is the destination reconstruction.
    @Test(arguments: cases)
    func compiledGraphMatchesTrainingLayers(_ c: Case) throws {
        var config = TrainingFixtures.config
        config.architecture = c.architecture
        config.residualBlocks = c.residualBlocks
        let network = makeTrainingModel(config, batch: 1, threads: 1)
        network.initialize(seed: 4)
        // Random biases too (they start at zero), so every bias and every branch shows in the outputs.
        var random = RandomSource(seed: 8)
        for p in network.parameters where p.name.hasSuffix(".bias") {
            p.assign((0..<p.count).map { _ in random.uniform(-0.2, 0.2) })
        }
        let file = try SafetensorsFile(data: SwapModelFile.contents(config: config, parameters: network.parameters)
            .encoded(as: c.dtype))
        // An fp16 file holds rounded weights: the training layers get the same ones.
        try SwapModelFile.load(network.parameters, from: file)

        let r2 = config.resolution * config.resolution
        let input = (0..<(2 * r2 * 3)).map { _ in random.unit() }
        let source = Array(input[..<(r2 * 3)]), destination = Array(input[(r2 * 3)...])
        let reconstruction = network.forward(input)
        let expectedSource = (face: values(reconstruction.srcFace, r2 * 3), mask: values(reconstruction.srcMask, r2))
        let expectedDestination = (face: values(reconstruction.dstFace, r2 * 3), mask: values(reconstruction.dstMask, r2))
        let swap = network.swapDestination()
        let expectedSwap = (face: values(swap.face, r2 * 3), mask: values(swap.mask, r2))

        let toSource = try TrainedSwapModel(file: file)
        let toDestination = try TrainedSwapModel(file: file, direction: .srcToDst)
        #expect(toSource.config == config)
        #expect(toSource.flopsPerFace == SwapModelInfo.flopsPerFace(config))
        let checks: [(String, (face: [Float], mask: [Float]), (face: [Float], mask: [Float]))] = [
            ("swap", toSource.swap(destination), expectedSwap),
            ("source reconstruction", toSource.swap(source), expectedSource),
            ("destination reconstruction", toDestination.swap(destination), expectedDestination),
        ]
        for (what, got, expected) in checks {
            #expect(maxDifference(got.face, expected.face) < 1e-4, "\(what): face")
            #expect(maxDifference(got.mask, expected.mask) < 1e-4, "\(what): mask")
            // Outputs that vary, so the tolerance is not met by two constant pictures.
            #expect(got.face.max()! - got.face.min()! > 0.05, "\(what): face spread")
        }
        #expect(maxDifference(toSource.swap(destination).face, toDestination.swap(destination).face) > 1e-3,
                "the two directions paint different identities")
    }

    @Test("the graph runs each layer as one fused kernel")
    func kernelsAreFused() throws {
        var config = TrainingFixtures.config
        config.residualBlocks = true
        let network = makeTrainingModel(config, batch: 1, threads: 1)
        let model = try TrainedSwapModel(file: SwapModelFile.contents(config: config, parameters: network.parameters))
        let layout = SwapNetworkLayout(config: config)
        let decoder = layout.decoder(name: "decoder_src")
        // Convolutions, dense layers and pixel shuffles run; reshapes are free; each residual block's add and
        // activation fold into its second convolution.
        let layers = layout.encoder + layout.inter(name: "inter") + decoder.face + decoder.mask
        let expected = layers.reduce(0) { n, layer in
            if case .residualBlock = layer { n + 2 } else { n + 1 }
        }
        #expect(model.graph.kernelCount == expected)
        #expect(model.graph.inputShapes == [[1, config.resolution, config.resolution, 3]])
        #expect(model.graph.outputShapes == [[1, config.resolution, config.resolution, 3], [1, config.resolution, config.resolution, 1]])
    }

    @Test func missingTensorsAreReported() throws {
        var file = SwapModelFile.contents(config: TrainingFixtures.config,
                                          parameters: makeTrainingModel(TrainingFixtures.config, batch: 1, threads: 1).parameters)
        file.tensors["encoder.down0.weight"] = nil
        #expect(throws: SwapModelError.missingTensor("encoder.down0.weight")) { try TrainedSwapModel(file: file) }
        file = SwapModelFile.contents(config: TrainingFixtures.config,
                                      parameters: makeTrainingModel(TrainingFixtures.config, batch: 1, threads: 1).parameters)
        file.tensors["inter.dense2.bias"] = .init(shape: [3], values: [0, 0, 0])
        #expect(throws: SwapModelError.tensorShapeMismatch(name: "inter.dense2.bias", expected: [TrainingFixtures.config.lowestResolution * TrainingFixtures.config.lowestResolution * 32], found: [3])) {
            try TrainedSwapModel(file: file)
        }
    }

    private func values(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    private func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max()!
    }
}
