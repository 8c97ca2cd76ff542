/// The node being imported: attribute access with defaults, and errors that name the node.
struct ONNXNodeSite {
    let node: ONNXModel.Node
    let opset: Int

    var op: String { node.opType }

    /// Attributes each operator may carry; anything else is reported rather than silently ignored.
    static let knownAttributes: [String: Set<String>] = [
        "Conv": ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"],
        "LeakyRelu": ["alpha"], "Elu": ["alpha"], "Clip": ["min", "max"], "Transpose": ["perm"],
        "Reshape": ["allowzero"], "Flatten": ["axis"], "Concat": ["axis"], "Split": ["axis", "split", "num_outputs"],
        "Slice": ["starts", "ends", "axes"], "Pad": ["mode", "pads", "value"], "DepthToSpace": ["blocksize", "mode"],
        "Resize": ["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                   "extrapolation_value"],
        "Upsample": ["mode", "scales"], "ReduceMean": ["axes", "keepdims", "noop_with_empty_axes"],
        "Gemm": ["alpha", "beta", "transA", "transB"], "Cast": ["to", "saturate"],
        "Constant": ["value", "value_float", "value_floats", "value_int", "value_ints"], "ConstantOfShape": ["value"],
        "Gather": ["axis"], "Unsqueeze": ["axes"], "Squeeze": ["axes"], "Shape": ["start", "end"],
        "Dropout": ["seed", "ratio"],
    ]

    /// Throws for attributes the operator does not define (a newer opset or a vendor extension).
    func checkAttributes() throws(ONNXError) {
        let known = Self.knownAttributes[op] ?? []
        for a in node.attributes where !known.contains(a.name) {
            throw .unsupportedAttribute(op: op, node: node.name, attribute: a.name, detail: "not implemented")
        }
        if let g = node.attributes.first(where: \.hasGraph) {
            throw .unsupportedAttribute(op: op, node: node.name, attribute: g.name, detail: "subgraphs are not supported")
        }
    }

    func unsupported(_ detail: String) -> ONNXError { .unsupportedUsage(op: op, node: node.name, detail: detail) }

    func attributeError(_ name: String, _ detail: String) -> ONNXError {
        .unsupportedAttribute(op: op, node: node.name, attribute: name, detail: detail)
    }

    func int(_ name: String, _ fallback: Int) throws(ONNXError) -> Int {
        guard let a = node.attribute(name) else { return fallback }
        guard let v = a.int, v >= Int64(Int32.min), v <= Int64(Int32.max) else { throw attributeError(name, "expected a small integer") }
        return Int(v)
    }

    func ints(_ name: String) throws(ONNXError) -> [Int]? {
        guard let a = node.attribute(name) else { return nil }
        guard a.ints.allSatisfy({ $0 >= Int64(Int32.min) && $0 <= Int64(Int32.max) }) else {
            throw attributeError(name, "values out of range")
        }
        return a.ints.map { Int($0) }
    }

    func float(_ name: String, _ fallback: Float) throws(ONNXError) -> Float {
        guard let a = node.attribute(name) else { return fallback }
        guard let v = a.float, v.isFinite else { throw attributeError(name, "expected a finite float") }
        return v
    }

    func string(_ name: String, _ fallback: String) -> String { node.attribute(name)?.string ?? fallback }

    /// Output `k`'s name (the first by default).
    func output(_ k: Int = 0) throws(ONNXError) -> String {
        guard k < node.outputs.count, !node.outputs[k].isEmpty else { throw .invalidGraph("node '\(node.name)' (\(op)) lacks output \(k)") }
        return node.outputs[k]
    }

    /// Name of input `k`, or nil when absent (optional inputs may be given as "").
    func inputName(_ k: Int) -> String? { k < node.inputs.count && !node.inputs[k].isEmpty ? node.inputs[k] : nil }
}
