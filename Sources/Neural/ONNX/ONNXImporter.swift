extension ONNXModel {
    /// Compiles the model into a runnable ``Graph`` with the batch fixed to 1: folds shape computations and
    /// constants, runs ONNX's NCHW graph in the runtime's NHWC layout (transposes become relabellings), fuses biases
    /// and activations into convolutions, and rejects what the runtime cannot run with an error naming the node.
    ///
    /// - Parameter constantInputs: graph inputs bound to fixed values at load (e.g. a DFM's `morph_value:0`); the
    ///   computations that depend only on them are folded, and they are not inputs of the compiled graph.
    public func makeGraph(constantInputs: [String: [Float]] = [:]) throws(ONNXError) -> Graph {
        var importer = ONNXImporter(model: self)
        return try importer.importGraph(constantInputs: constantInputs)
    }
}

/// Translates ONNX nodes into kernels, one at a time in file (topological) order.
///
/// Every activation keeps its ONNX (logical) shape and a permutation `perm` saying how it is stored: physical axis
/// `j` holds logical axis `perm[j]`. Convolutions store NCHW tensors as NHWC (`perm = [0, 2, 3, 1]`), a Transpose
/// only changes `perm`, and a real transpose is inserted only where an operator needs another layout.
struct ONNXImporter {
    enum Value {
        case constant(ConstantTensor)
        case activation(LiveTensor)
    }

    struct LiveTensor {
        /// Graph value id.
        var id: Int
        /// ONNX shape.
        var shape: [Int]
        /// Physical axis `j` holds logical axis `perm[j]`.
        var perm: [Int]

        var physical: [Int] { perm.map { shape[$0] } }
        var count: Int { shape.reduce(1, *) }
        var isIdentityLayout: Bool { perm == Array(perm.indices) }
    }

    /// NCHW stored as NHWC: the layout convolutions read and write.
    static let channelsLast = [0, 2, 3, 1]

    let model: ONNXModel
    var values: [String: Value] = [:]
    var shapes: [TensorShape] = []
    var names: [String] = []
    var nodes: [Graph.Node] = []
    /// Nodes reading each value name (by index), for pattern fusion.
    var consumers: [String: [Int]] = [:]
    /// Nodes already imported (ahead of order, or as part of a fused pattern) or not needed.
    var absorbed: Set<Int> = []
    /// The node computing each value name.
    var producers: [String: Int] = [:]
    /// Spatial zero pads left for the convolutions that read them: value name → (unpadded input, [t, l, b, r]).
    var deferredPads: [String: (input: LiveTensor, pads: [Int])] = [:]
    /// Convolutions built so far by weights name, with the bias they were given, to share their packed weights.
    var sharedConvs: [String: (kernel: Conv2D, bias: [Float]?)] = [:]
    /// Relayouts already emitted: (value id, perm) → the transposed activation.
    private var relayouts: [String: LiveTensor] = [:]

    init(model: ONNXModel) { self.model = model }

    mutating func importGraph(constantInputs: [String: [Float]]) throws(ONNXError) -> Graph {
        let unsupportedDomains = model.opsets.keys.filter { !["", "ai.onnx"].contains($0) }
        for node in model.nodes where unsupportedDomains.contains(node.domain) {
            throw .unsupportedOperator(op: "\(node.domain).\(node.opType)", node: node.name)
        }
        for t in model.initializers { values[t.name] = .constant(try model.decode(t)) }
        var inputs: [Int] = []
        for info in model.inputs where values[info.name] == nil {
            if let id = try declareInput(info, constant: constantInputs[info.name]) { inputs.append(id) }
        }
        for name in constantInputs.keys where !model.inputs.contains(where: { $0.name == name }) {
            throw .invalidGraph("no input named '\(name)' to bind")
        }
        // Nodes no output depends on (an exporter's leftovers) are not imported, so they cost nothing at run time.
        var needed = Set(model.outputs.map(\.name))
        for (i, node) in model.nodes.enumerated().reversed() {
            if node.outputs.contains(where: needed.contains) {
                needed.formUnion(node.inputs)
            } else {
                absorbed.insert(i)
            }
        }
        for (i, node) in model.nodes.enumerated() where !absorbed.contains(i) {
            for name in node.inputs where !name.isEmpty { consumers[name, default: []].append(i) }
            for name in node.outputs where !name.isEmpty { producers[name] = i }
        }
        for (i, node) in model.nodes.enumerated() where !absorbed.contains(i) {
            absorbed.insert(i)
            try importNode(node, index: i)
        }
        var outputs: [Int] = []
        for info in model.outputs {
            guard let value = values[info.name] else { throw .invalidGraph("output '\(info.name)' is never computed") }
            guard case .activation(let a) = value else {
                throw .unsupportedUsage(op: "output", node: info.name, detail: "the output is a constant")
            }
            let out = try relayout(a, to: Array(a.perm.indices), name: info.name)
            guard !inputs.contains(out.id) else {
                throw .unsupportedUsage(op: "output", node: info.name, detail: "the output is a graph input")
            }
            outputs.append(out.id)
        }
        guard !inputs.isEmpty, !outputs.isEmpty else { throw .invalidGraph("the model has no inputs or no outputs") }
        return Graph(shapes: shapes, names: names, nodes: nodes, inputs: inputs, outputs: outputs)
    }

    /// A float graph input, with its batch (first) dimension fixed to 1; nil when bound to `constant`.
    private mutating func declareInput(_ info: ONNXModel.ValueInfo, constant: [Float]?) throws(ONNXError) -> Int? {
        guard let declared = info.dims else { throw .badShape(value: info.name, detail: "the input has no declared shape") }
        var dims: [Int] = []
        for (axis, d) in declared.enumerated() {
            if let d { dims.append(d) } else if axis == 0 { dims.append(1) } else {
                throw .badShape(value: info.name, detail: "dimension \(axis) is dynamic (only the batch may be)")
            }
        }
        if let constant {
            guard constant.count == dims.reduce(1, *) else {
                throw .badShape(value: info.name, detail: "bound to \(constant.count) values, shape is \(dims)")
            }
            values[info.name] = .constant(ConstantTensor(shape: dims, floats: constant))
            return nil
        }
        guard info.elementType == ONNXDataType.float.rawValue else {
            throw .unsupportedType(tensor: info.name, type: info.elementType)
        }
        let a = try newActivation(info.name, shape: dims, perm: Array(dims.indices))
        values[info.name] = .activation(a)
        return a.id
    }

    /// Imports, ahead of file order, the nodes that compute `name` when they need nothing from the nodes in
    /// `excluding` (PyTorch computes a reshape's target shape after the reshape it pairs with); false when it cannot.
    mutating func computeAhead(_ name: String, excluding: Set<Int>, depth: Int = 0) throws(ONNXError) -> Bool {
        if values[name] != nil { return true }
        guard depth < 64, let p = producers[name], !excluding.contains(p), !absorbed.contains(p) else { return false }
        for input in model.nodes[p].inputs where !input.isEmpty {
            guard try computeAhead(input, excluding: excluding, depth: depth + 1) else { return false }
        }
        absorbed.insert(p)
        try importNode(model.nodes[p], index: p)
        return values[name] != nil
    }

    // MARK: Values

    /// Registers a new graph value holding a tensor of logical `shape` stored under `perm`.
    mutating func newActivation(_ name: String, shape: [Int], perm: [Int]) throws(ONNXError) -> LiveTensor {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard d >= 1, !overflow, product <= ONNXModel.maxElements else {
                throw .badShape(value: name, detail: "shape \(shape) is empty or too large")
            }
            count = product
        }
        let a = LiveTensor(id: shapes.count, shape: shape, perm: perm)
        shapes.append(TensorShape(a.physical))
        names.append(name)
        return a
    }

    /// Appends `kernel` reading `inputs`, writing a new value bound to the ONNX name `name`.
    @discardableResult
    mutating func emit(_ kernel: any Kernel, inputs: [LiveTensor], name: String, shape: [Int], perm: [Int]) throws(ONNXError) -> LiveTensor {
        let a = try newActivation(name, shape: shape, perm: perm)
        nodes.append(Graph.Node(operation: .kernel(kernel), inputs: inputs.map(\.id), output: a.id))
        values[name] = .activation(a)
        return a
    }

    /// A new value sharing `a`'s storage under another logical shape and layout (same physical element order).
    mutating func alias(_ a: LiveTensor, name: String, shape: [Int], perm: [Int]) throws(ONNXError) -> LiveTensor {
        let out = try newActivation(name, shape: shape, perm: perm)
        nodes.append(Graph.Node(operation: .alias, inputs: [a.id], output: out.id))
        values[name] = .activation(out)
        return out
    }

    /// `a` stored under `perm`: `a` itself, or a transpose (emitted once per value and layout).
    mutating func relayout(_ a: LiveTensor, to perm: [Int], name: String? = nil) throws(ONNXError) -> LiveTensor {
        if a.perm == perm && name == nil { return a }
        let key = "\(a.id)/\(perm)"
        if name == nil, let done = relayouts[key] { return done }
        // Output axis k holds logical axis perm[k], which the input keeps at physical axis a.perm⁻¹[perm[k]].
        let permutation = perm.map { p in a.perm.firstIndex(of: p)! }
        let outName = name ?? "\(names[a.id])#\(perm.map(String.init).joined())"
        let out: LiveTensor
        // Moving only size-1 axes keeps the element order: no copy needed.
        let order = { (p: [Int]) in p.filter { a.shape[$0] != 1 } }
        if order(a.perm) == order(perm) {
            out = try alias(a, name: outName, shape: a.shape, perm: perm)
        } else {
            out = try emit(Transpose(shape: TensorShape(a.physical), permutation: permutation), inputs: [a],
                           name: outName, shape: a.shape, perm: perm)
        }
        if name == nil { relayouts[key] = out }
        return out
    }
}
