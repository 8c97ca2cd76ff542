/// Builds an ONNX model node by node (for exports); ``serialized(graphName:)`` gives the file's bytes.
///
/// Tensors are float32 (`raw_data`) or int64; inputs and outputs are float32 with a symbolic batch where a
/// dimension is nil.
package struct ONNXWriter {
    package enum AttributeValue {
        case int(Int), ints([Int]), float(Float), string(String)
    }

    private struct Node {
        var op: String, inputs: [String], outputs: [String], attributes: [(String, AttributeValue)]
    }

    private struct Initializer {
        var name: String, dims: [Int], floats: [Float]?, ints: [Int]?
    }

    package let opset: Int
    private var nodes: [Node] = []
    private var initializers: [Initializer] = []
    private var inputs: [(String, [Int?])] = []
    private var outputs: [(String, [Int?])] = []
    private var counter = 0

    package init(opset: Int = 13) { self.opset = opset }

    private mutating func fresh(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    package mutating func input(_ name: String, dims: [Int?]) -> String {
        inputs.append((name, dims))
        return name
    }

    package mutating func output(_ name: String, dims: [Int?]) { outputs.append((name, dims)) }

    /// A float initializer; a second call with the same name (a layer used twice) reuses the first.
    package mutating func constant(_ name: String, dims: [Int], floats: [Float]) -> String {
        precondition(dims.reduce(1, *) == floats.count)
        if initializers.contains(where: { $0.name == name }) { return name }
        initializers.append(Initializer(name: name, dims: dims, floats: floats, ints: nil))
        return name
    }

    package mutating func constant(ints: [Int]) -> String {
        let name = fresh("const")
        initializers.append(Initializer(name: name, dims: [ints.count], floats: nil, ints: ints))
        return name
    }

    /// Appends a node; its output is `name` or a fresh name.
    @discardableResult
    package mutating func node(_ op: String, _ inputs: [String], name: String? = nil, _ attributes: [(String, AttributeValue)] = []) -> String {
        let out = name ?? fresh(op)
        nodes.append(Node(op: op, inputs: inputs, outputs: [out], attributes: attributes))
        return out
    }

    package func serialized(graphName: String, producer: String = "facelive") -> [UInt8] {
        var m = ProtobufWriter()
        m.int(1, 7)  // ir_version 7 (ONNX 1.8+), opset 13
        m.string(2, producer)
        m.message(7) { g in
            for n in nodes {
                g.message(1) { w in
                    for i in n.inputs { w.string(1, i) }
                    for o in n.outputs { w.string(2, o) }
                    w.string(3, n.outputs[0])
                    w.string(4, n.op)
                    for (name, value) in n.attributes {
                        w.message(5) { a in
                            a.string(1, name)
                            switch value {
                            case .float(let f): a.float(2, f); a.int(20, 1)
                            case .int(let i): a.int(3, i); a.int(20, 2)
                            case .string(let s): a.string(4, s); a.int(20, 3)
                            case .ints(let list): a.ints(8, list); a.int(20, 7)
                            }
                        }
                    }
                }
            }
            g.string(2, graphName)
            for t in initializers {
                g.message(5) { w in
                    w.ints(1, t.dims)
                    w.int(2, t.floats != nil ? ONNXDataType.float.rawValue : ONNXDataType.int64.rawValue)
                    w.string(8, t.name)
                    if let f = t.floats {
                        w.bytes(9, ProtobufWriter.rawFloats(f))
                    } else {
                        var raw: [UInt8] = []
                        for v in t.ints ?? [] { withUnsafeBytes(of: Int64(v).littleEndian) { raw.append(contentsOf: $0) } }
                        w.bytes(9, raw)
                    }
                }
            }
            for (field, list) in [(11, inputs), (12, outputs)] {
                for (name, dims) in list { g.message(field) { Self.valueInfo(&$0, name, dims) } }
            }
        }
        m.message(8) { $0.string(1, ""); $0.int(2, opset) }
        return m.bytes
    }

    private static func valueInfo(_ w: inout ProtobufWriter, _ name: String, _ dims: [Int?]) {
        w.string(1, name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, ONNXDataType.float.rawValue)
                tensor.message(2) { shape in
                    for d in dims { shape.message(1) { dim in if let d { dim.int(1, d) } else { dim.string(2, "N") } } }
                }
            }
        }
    }
}
