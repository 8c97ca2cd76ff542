import Foundation
import Testing
@testable import Neural
@testable import Face
import TestSupport

@Suite struct TFLiteLoaderTests {
    static let shortRange = [UInt8](try! Data(contentsOf: TestResources.vendored(.shortRangeDetector)))

    @Test func parsesStructure() throws {
        let model = try TFLiteModel(bytes: Self.shortRange)
        #expect(model.operators.count == 164)
        #expect(model.operators.filter { $0.code == .dequantize }.count == 74)
        #expect(model.operators.filter { $0.code == .conv2D }.count == 21)
        #expect(model.inputs.map { model.tensors[$0].name } == ["input"])
        #expect(Set(model.outputs.map { model.tensors[$0].name }) == ["regressors", "classificators"])
        let graph = try model.makeGraph()
        #expect(graph.inputShapes == [[1, 128, 128, 3]])
        // DEQUANTIZE folded, channel PADs absorbed, ADD/RELU fused into the convs: far fewer kernels than ops.
        #expect(graph.kernelCount < 60)
    }

    @Test func rejectsNonTFLite() {
        #expect(throws: TFLiteError.notTFLite) { try TFLiteModel(bytes: Array("hello, world".utf8)) }
        #expect(throws: TFLiteError.notTFLite) { try TFLiteModel(bytes: []) }
    }

    @Test func truncatedFileIsMalformed() {
        #expect {
            try TFLiteModel(bytes: Array(Self.shortRange.prefix(Self.shortRange.count / 2))).makeGraph()
        } throws: { error in
            guard case .malformed(let context) = error as? TFLiteError else { return false }
            return context.contains("outside the")
        }
    }

    @Test func unsupportedOperatorIsNamed() throws {
        var model = try TFLiteModel(bytes: Self.shortRange)
        let index = try #require(model.operators.firstIndex { $0.code == .maxPool2D })
        model.operators[index].code = TFLiteOperator(rawValue: 25)  // SOFTMAX
        #expect(throws: TFLiteError.unsupportedOperator(name: "SOFTMAX", index: index)) { try model.makeGraph() }
    }

    @Test func wrongShapeIsReported() throws {
        var model = try TFLiteModel(bytes: Self.shortRange)
        let conv = try #require(model.operators.first { $0.code == .conv2D })
        let out = conv.outputs[0]
        model.tensors[out].shape[1] += 1
        #expect {
            try model.makeGraph()
        } throws: { error in
            guard case .shapeMismatch(let tensor, _, _) = error as? TFLiteError else { return false }
            return tensor == model.tensors[out].name
        }
    }

    @Test func errorMessagesAreOneLine() {
        let errors: [TFLiteError] = [
            .notTFLite, .malformed(context: "x"), .unsupportedOperator(name: "SOFTMAX", index: 3),
            .unsupportedUsage(op: "CONV_2D", index: 1, detail: "dilation other than 1"),
            .unsupportedTensorType(tensor: "w", type: 9), .shapeMismatch(tensor: "t", expected: [1], found: [2]),
            .invalidGraph("y"), .unreadable(path: "/x", reason: "no such file"),
        ]
        for e in errors { #expect(!e.description.contains("\n") && !e.description.isEmpty) }
        #expect(TFLiteError.unsupportedTensorType(tensor: "w", type: 9).description.contains("INT8"))
    }

    /// Mutated copies of the real models (bit flips, truncation, random bytes, overwritten blocks) must load or
    /// fail with a ``TFLiteError`` — never crash or hang. Models that still load are run once.
    @Test(arguments: [(FaceModel.shortRangeDetector, 2400), (.fullRangeDetector, 300), (.landmarks, 300)])
    func fuzzedModelsNeverCrash(_ model: FaceModel, _ cases: Int) throws {
        let original = [UInt8](try Data(contentsOf: TestResources.vendored(model)))
        var rng = SeededRandom(seed: 0x5EED + UInt64(original.count))
        var loaded = 0, rejected = 0
        for n in 0..<cases {
            var bytes = original
            // Half the mutations hit the FlatBuffers metadata (the first and last 8 KiB hold the root table,
            // vtables, tensors and operators); the rest land anywhere.
            ByteMutation.apply(n, to: &bytes, rng: &rng) { rng, count in
                let edge = min(8192, count / 2)
                switch rng.next() % 4 {
                case 0: return Int(rng.next() % UInt64(edge))
                case 1: return count - 1 - Int(rng.next() % UInt64(edge))
                default: return Int(rng.next() % UInt64(count))
                }
            }
            do {
                let graph = try TFLiteModel(bytes: bytes).makeGraph()
                loaded += 1
                if model == .shortRangeDetector || n % 16 == 0 { GraphExecutor(graph: graph).run() }
            } catch {
                // Typed throws: `error` is statically a TFLiteError; anything else would not compile.
                let _: TFLiteError = error
                rejected += 1
            }
        }
        print("fuzz \(model.rawValue): \(cases) cases, \(loaded) still loaded, \(rejected) rejected")
        #expect(loaded + rejected == cases)
        #expect(rejected > cases / 10)
    }
}
