/// A network ready to run: kernels with prepacked constants, the shape of every activation, and a buffer plan.
///
/// Immutable and `Sendable`: build it once per model (e.g. ``TFLiteModel/makeGraph()``), then give each thread
/// its own ``GraphExecutor``.
public struct Graph: Sendable {
    struct Node: Sendable {
        enum Operation: Sendable {
            case kernel(any Kernel)
            /// A reshape: the output is the input's storage under another shape.
            case alias
        }

        var operation: Operation
        var inputs: [Int]
        var output: Int
    }

    /// Shape of each value (activation tensor), indexed by value id.
    let shapes: [TensorShape]
    /// Name of each value (the TFLite tensor name, or the layer name a ``GraphBuilder`` was given).
    let names: [String]
    let nodes: [Node]
    /// Value ids the caller fills before a run.
    let inputs: [Int]
    /// Value ids read after a run.
    let outputs: [Int]
    let plan: BufferPlan

    /// Optimises (absorbs channel pads, fuses residuals, activations and expansions, drops dead nodes, batches the
    /// calls of a shared conv) and plans buffers.
    init(shapes: [TensorShape], names: [String], nodes: [Node], inputs: [Int], outputs: [Int]) {
        self.inputs = inputs
        self.outputs = outputs
        var optimizer = GraphOptimizer(nodes: nodes, outputs: Set(outputs))
        optimizer.absorbChannelPads(shapes: shapes)
        optimizer.fuseResiduals()
        optimizer.fuseActivations()
        optimizer.fuseExpansions()
        var batching = SharedConvBatching(nodes: optimizer.liveNodes, shapes: shapes, names: names)
        batching.run()
        self.shapes = batching.shapes
        self.names = batching.names
        self.nodes = batching.nodes
        plan = BufferPlan(shapes: self.shapes, nodes: self.nodes, inputs: inputs, outputs: outputs)
    }

    /// Already optimised nodes (kernels swapped for equivalents), planned afresh: their scratch may differ.
    init(planning nodes: [Node], shapes: [TensorShape], names: [String], inputs: [Int], outputs: [Int]) {
        self.shapes = shapes
        self.names = names
        self.inputs = inputs
        self.outputs = outputs
        self.nodes = nodes
        plan = BufferPlan(shapes: shapes, nodes: nodes, inputs: inputs, outputs: outputs)
    }

    public var inputShapes: [TensorShape] { inputs.map { shapes[$0] } }
    public var outputShapes: [TensorShape] { outputs.map { shapes[$0] } }
    public var inputNames: [String] { inputs.map { names[$0] } }
    public var outputNames: [String] { outputs.map { names[$0] } }
    /// Number of kernels run per inference (after fusion).
    public var kernelCount: Int {
        nodes.reduce(0) { n, node in if case .kernel = node.operation { n + 1 } else { n } }
    }

    /// Position of the output called `name` in ``outputNames``.
    public func outputIndex(named name: String) -> Int? { outputNames.firstIndex(of: name) }
}

/// Peephole rewrites that save whole passes over memory.
struct GraphOptimizer {
    var nodes: [Graph.Node]
    var dead: [Bool]
    let outputs: Set<Int>

    init(nodes: [Graph.Node], outputs: Set<Int>) {
        self.nodes = nodes
        dead = [Bool](repeating: false, count: nodes.count)
        self.outputs = outputs
    }

    var liveNodes: [Graph.Node] { nodes.indices.filter { !dead[$0] }.map { nodes[$0] } }

    private func producers() -> [Int: Int] {
        var map: [Int: Int] = [:]
        for (i, node) in nodes.enumerated() where !dead[i] { map[node.output] = i }
        return map
    }

    private func consumerCounts() -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (i, node) in nodes.enumerated() where !dead[i] {
            for v in node.inputs { counts[v, default: 0] += 1 }
        }
        return counts
    }

    /// A value only `consumer` reads, so its producer may be rewritten.
    private func isPrivate(_ value: Int, _ counts: [Int: Int]) -> Bool {
        counts[value] == 1 && !outputs.contains(value)
    }

    /// Node `i`'s kernel when it is a live ADD with no fused activation (what the add fusions rewrite).
    private func plainAdd(_ i: Int) -> BinaryElementwise? {
        guard !dead[i], case .kernel(let kernel) = nodes[i].operation, let add = kernel as? BinaryElementwise,
              add.op == .add, add.activation.isIdentity else { return nil }
        return add
    }

    /// `ADD(x, PAD(y, channels))` → a channel-padded add reading `y` directly.
    mutating func absorbChannelPads(shapes: [TensorShape]) {
        let producer = producers()
        let counts = consumerCounts()
        for i in nodes.indices {
            guard let add = plainAdd(i) else { continue }
            var channels = [add.channelsA, add.channelsB]
            var inputs = nodes[i].inputs
            for k in 0..<2 {
                guard let p = producer[inputs[k]], isPrivate(inputs[k], counts),
                      case .kernel(let pk) = nodes[p].operation, let pad = pk as? Pad, pad.isTrailingChannelPad
                else { continue }
                dead[p] = true
                inputs[k] = nodes[p].inputs[0]
                channels[k] = shapes[inputs[k]].channels
            }
            if inputs != nodes[i].inputs {
                nodes[i].inputs = inputs
                nodes[i].operation = .kernel(BinaryElementwise(
                    op: .add, pixels: add.pixels, channels: add.channels, channelsA: channels[0], channelsB: channels[1],
                    activation: .none))
            }
        }
    }

    /// `ADD(CONV(x), y)` → a conv that adds `y` in its epilogue (placed where the ADD was, so `y` is ready).
    mutating func fuseResiduals() {
        let producer = producers()
        let counts = consumerCounts()
        for i in nodes.indices {
            guard let add = plainAdd(i) else { continue }
            let channels = [add.channelsA, add.channelsB]
            for k in 0..<2 {
                let v = nodes[i].inputs[k], other = nodes[i].inputs[1 - k]
                guard other != v, channels[k] == add.channels, let p = producer[v], p < i, !dead[p], isPrivate(v, counts),
                      case .kernel(let pk) = nodes[p].operation, let conv = pk as? Conv2D,
                      let fused = conv.fusingResidual(channels: channels[1 - k]) else { continue }
                nodes[i] = Graph.Node(operation: .kernel(fused), inputs: nodes[p].inputs + [other], output: nodes[i].output)
                dead[p] = true
                break
            }
        }
    }

    /// `ACT(OP(x))` → `OP` with the activation in its epilogue, when `OP` supports it.
    mutating func fuseActivations() {
        let producer = producers()
        let counts = consumerCounts()
        for i in nodes.indices where !dead[i] {
            guard case .kernel(let kernel) = nodes[i].operation, let act = kernel as? ActivationLayer else { continue }
            let v = nodes[i].inputs[0]
            guard let p = producer[v], !dead[p], isPrivate(v, counts), case .kernel(let pk) = nodes[p].operation,
                  let fused = pk.fusing(act.activation) else { continue }
            nodes[p].operation = .kernel(fused)
            nodes[p].output = nodes[i].output
            dead[i] = true
        }
    }

    /// `DEPTHWISE(CONV1×1(x))` → one kernel that makes the expanded rows as the depthwise window reaches them
    /// (``ExpandedDepthwiseConv2D``), when the expanded tensor is large. Runs after the activation fusion, so both
    /// halves carry theirs.
    mutating func fuseExpansions() {
        let producer = producers()
        let counts = consumerCounts()
        for i in nodes.indices where !dead[i] {
            guard case .kernel(let kernel) = nodes[i].operation, let depthwise = kernel as? DepthwiseConv2D else { continue }
            let v = nodes[i].inputs[0]
            guard let p = producer[v], !dead[p], isPrivate(v, counts), case .kernel(let pk) = nodes[p].operation,
                  let expand = pk as? Conv2D, let fused = ExpandedDepthwiseConv2D(expand: expand, depthwise: depthwise)
            else { continue }
            nodes[i] = Graph.Node(operation: .kernel(fused), inputs: nodes[p].inputs, output: nodes[i].output)
            dead[p] = true
        }
    }
}
