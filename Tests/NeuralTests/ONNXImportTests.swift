import Foundation
import Testing
@testable import Neural
import TestSupport

/// DeepFaceLab-style `.dfm` replicas (scripts/make_dfm_test_models.py) against onnxruntime's outputs.
@Suite struct ONNXImportTests {
    static let directory = TestResources.fixtures.appendingPathComponent("onnx")
    static let models = ["saehd_df_ud_96_op12", "saehd_liae_udt_128_op13", "amp_64_nhwc_op13", "torch_df_u_64_op13",
                          "torch_liae_udt_64_op13"]

    static func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    @Test(arguments: models)
    func matchesOnnxRuntime(_ name: String) throws {
        let model = try ONNXModel(contentsOf: Self.file(name + ".dfm"))
        var bound: [String: [Float]] = [:]
        let morph = Self.file(name + "_morph_value.npy")
        if FileManager.default.fileExists(atPath: morph.path) { bound["morph_value:0"] = try NumpyArray(contentsOf: morph).values }
        let graph = try model.makeGraph(constantInputs: bound)
        let input = try NumpyArray(contentsOf: Self.file(name + "_in_face.npy"))
        #expect(graph.inputShapes == [TensorShape(input.shape)])
        let outputs = GraphExecutor(graph: graph).run([Tensor(shape: TensorShape(input.shape), values: input.values)])
        #expect(outputs.count == 3)
        // NCHW convs run NHWC with no per-conv transposes (only at the dense bottleneck), biases fused.
        let labels = graph.nodes.compactMap { node -> String? in if case .kernel(let k) = node.operation { k.label } else { nil } }
        #expect(labels.filter { $0.hasPrefix("Transpose") }.count <= 3, "\(labels)")
        #expect(labels.filter { $0.hasPrefix("ConstantElementwise") }.count <= 1, "\(labels)")
        for (k, output) in outputs.enumerated() {
            let expected = try NumpyArray(contentsOf: Self.file("\(name)_out_\(k).npy"))
            #expect(output.shape == TensorShape(expected.shape), "output \(k)")
            let got = output.withUnsafeBufferPointer { Array($0) }
            let delta = zip(got, expected.values).map { abs($0 - $1) }.max() ?? .infinity
            #expect(delta <= 1e-4, "\(name) output \(k): max |Δ| \(delta)")
        }
    }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: file(name + ".dfm"))) }

    /// `bytes` with the first occurrence of `old` replaced by `new` (same length, so the protobuf stays valid).
    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) throws -> [UInt8] {
        let o = Array(old.utf8), n = Array(new.utf8)
        let at = try #require((0...(bytes.count - o.count)).first { bytes[$0 ..< $0 + o.count].elementsEqual(o) })
        var out = bytes
        out.replaceSubrange(at ..< at + o.count, with: n)
        return out
    }

    @Test func parsesStructure() throws {
        let model = try ONNXModel(bytes: try Self.bytes("saehd_df_ud_96_op12"))
        #expect(model.opset == 12)
        #expect(model.graphName == "SAEHD")
        #expect(model.inputs.map(\.name) == ["in_face:0"])
        #expect(model.inputs[0].dims?.first == .some(nil))  // dynamic batch, fixed to 1 on import
        #expect(model.outputs.map(\.name) == ["out_face_mask:0", "out_celeb_face:0", "out_celeb_face_mask:0"])
        #expect(model.nodes.contains { $0.opType == "Conv" })
    }

    @Test func rejectsWhatItCannotRun() throws {
        #expect(throws: ONNXError.self) { try ONNXModel(bytes: Array("hello, world".utf8)) }
        #expect(throws: ONNXError.notONNX("the file is empty")) { try ONNXModel(bytes: []) }
        let png = [UInt8](try Data(contentsOf: TestResources.fixtures.appendingPathComponent("astronaut_public_domain.png")))
        #expect { try ONNXModel(bytes: png) } throws: { error in
            if case .notONNX = error as? ONNXError { return true }
            if case .malformed = error as? ONNXError { return true }
            return false
        }
        let df = try Self.bytes("saehd_df_ud_96_op12")
        #expect { try ONNXModel(bytes: Array(df.prefix(df.count / 2))).makeGraph() } throws: { error in
            guard case .malformed(let context) = error as? ONNXError else { return false }
            return context.contains("past the end")
        }
        let unknownOp = try Self.replacing("\"\u{07}Sigmoid", with: "\"\u{07}Sigmoix", in: df)  // op_type field
        #expect { try ONNXModel(bytes: unknownOp).makeGraph() } throws: { error in
            guard case .unsupportedOperator(let op, let node) = error as? ONNXError else { return false }
            return op == "Sigmoix" && !node.isEmpty
        }
        let unknownAttribute = try Self.replacing("\n\u{05}alpha", with: "\n\u{05}alphx", in: df)  // attribute name
        #expect { try ONNXModel(bytes: unknownAttribute).makeGraph() } throws: { error in
            guard case .unsupportedAttribute(let op, _, let attribute, _) = error as? ONNXError else { return false }
            return op == "LeakyRelu" && attribute == "alphx"
        }
        #expect(throws: ONNXError.externalData(tensor: "w")) { try ONNXModel(bytes: TinyONNX.model(externalInitializer: true)).makeGraph() }
        #expect { try ONNXModel(bytes: TinyONNX.model(inputDims: [1, nil, 4, 4])).makeGraph() } throws: { error in
            guard case .badShape(let value, let detail) = error as? ONNXError else { return false }
            return value == "x" && detail.contains("dynamic")
        }
        #expect { try ONNXModel(bytes: TinyONNX.model(inputDims: [1, 3, 100_000, 100_000])).makeGraph() } throws: { error in
            guard case .badShape = error as? ONNXError else { return false }
            return true
        }
        #expect(throws: ONNXError.unsupportedOperator(op: "NonMaxSuppression", node: "node0")) {
            try ONNXModel(bytes: TinyONNX.model(op: "NonMaxSuppression")).makeGraph()
        }
        // The tiny model itself is fine: one sigmoid.
        let tiny = try ONNXModel(bytes: TinyONNX.model()).makeGraph()
        #expect(tiny.inputShapes == [[1, 3, 4, 4]])
        // AMP's morph slice depends on an input: it must be bound at load.
        #expect { try ONNXModel(bytes: try Self.bytes("amp_64_nhwc_op13")).makeGraph() } throws: { error in
            "\(error)".contains("run-time")
        }
    }

    @Test func deadNodesAreNotRun() throws {
        var w = ONNXWriter()
        let x = w.input("x", dims: [nil, 4, 2, 2])
        w.node("Sigmoid", [x], name: "y")
        w.node("Tanh", [w.node("Relu", [x])])  // nothing reads it
        w.output("y", dims: [nil, 4, 2, 2])
        let graph = try ONNXModel(bytes: w.serialized(graphName: "dead")).makeGraph()
        #expect(graph.kernelCount == 1)
        let input: [Float] = (0..<16).map { Float($0) - 8 }
        let out = GraphExecutor(graph: graph).run([Tensor(shape: [1, 4, 2, 2], values: input)])[0]
        let got: [Float] = out.withUnsafeBufferPointer { Array($0) }
        let expected: [Float] = input.map { 1 / (1 + exp(-$0)) }
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func errorMessagesAreOneLine() {
        let errors: [ONNXError] = [
            .unreadable(path: "/x", reason: "no such file"), .notONNX("x"), .malformed(context: "y"), .externalData(tensor: "w"),
            .unsupportedOperator(op: "Loop", node: "n"), .unsupportedAttribute(op: "Conv", node: "n", attribute: "dilations", detail: "[2, 2]"),
            .unsupportedUsage(op: "Pad", node: "n", detail: "reflect"), .unsupportedType(tensor: "t", type: 8),
            .badShape(value: "v", detail: "dynamic"), .invalidGraph("z"),
        ]
        for e in errors { #expect(!e.description.contains("\n") && !e.description.isEmpty) }
        #expect(ONNXError.unsupportedType(tensor: "t", type: 8).description.contains("STRING"))
    }

    /// Mutated copies of the test models (bit flips, truncation, random bytes, overwritten blocks) must load or fail
    /// with an ``ONNXError`` — never crash or hang. Models that still load are run once.
    @Test(arguments: [("torch_df_u_64_op13", 1500), ("amp_64_nhwc_op13", 500), ("saehd_df_ud_96_op12", 500)])
    func fuzzedModelsNeverCrash(_ name: String, _ cases: Int) throws {
        let original = try Self.bytes(name)
        var rng = SeededRandom(seed: 0x0DF5 + UInt64(original.count))
        let morph: [String: [Float]] = name.hasPrefix("amp") ? ["morph_value:0": [0.75]] : [:]
        var loaded = 0, rejected = 0
        for n in 0..<cases {
            var bytes = original
            // Half the mutations hit the graph structure (nodes come first, the large initializers last).
            ByteMutation.apply(n, to: &bytes, rng: &rng) { rng, count in
                let structure = min(32768, count)
                return rng.next() % 2 == 0 ? Int(rng.next() % UInt64(structure)) : Int(rng.next() % UInt64(count))
            }
            do {
                let graph = try ONNXModel(bytes: bytes).makeGraph(constantInputs: morph)
                loaded += 1
                if n % 8 == 0 { GraphExecutor(graph: graph).run() }
            } catch {
                let _: ONNXError = error
                rejected += 1
            }
        }
        print("fuzz \(name): \(cases) cases, \(loaded) still loaded, \(rejected) rejected")
        #expect(loaded + rejected == cases)
        #expect(rejected > cases / 10)
    }
}
