@testable import Neural

/// Hand-built ONNX files for loader error tests: one Sigmoid (or `op`) on input `x`, optionally an initializer.
enum TinyONNX {
    /// `dims`: nil entries are symbolic (`dim_param`).
    static func model(inputDims: [Int?] = [nil, 3, 4, 4], op: String = "Sigmoid", externalInitializer: Bool = false) -> [UInt8] {
        var m = ProtobufWriter()
        m.int(1, 7)  // ir_version
        m.message(8) { $0.string(1, ""); $0.int(2, 13) }  // opset_import
        m.message(7) { g in
            g.message(1) { n in
                n.string(1, "x")
                if externalInitializer { n.string(1, "w") }
                n.string(2, "y")
                n.string(3, "node0")
                n.string(4, externalInitializer ? "Mul" : op)
            }
            g.string(2, "tiny")
            if externalInitializer {
                g.message(5) { t in
                    t.ints(1, [1])
                    t.int(2, 1)
                    t.string(8, "w")
                    t.message(13) { $0.string(1, "location"); $0.string(2, "weights.bin") }
                    t.int(14, 1)
                }
            }
            g.message(11) { info(&$0, "x", inputDims) }
            g.message(12) { info(&$0, "y", inputDims) }
        }
        return m.bytes
    }

    private static func info(_ w: inout ProtobufWriter, _ name: String, _ dims: [Int?]) {
        w.string(1, name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, 1)
                tensor.message(2) { shape in
                    for d in dims {
                        shape.message(1) { dim in
                            if let d { dim.int(1, d) } else { dim.string(2, "batch") }
                        }
                    }
                }
            }
        }
    }
}
