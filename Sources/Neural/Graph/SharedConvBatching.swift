/// Runs two calls of one convolution (same packed weights, e.g. LIAE's decoder applied to two codes) as a single
/// batch-2 conv, so weights too large for the cache stream from memory once instead of twice:
///
///     CONV(x), …, CONV(y)   →   CONCAT₀(x, y) → CONV×2 → SLICE₀, SLICE₁
///
/// placed where the first call was; only when `y` is ready by then. The copies are small next to the weights (the
/// pass only takes convs whose weights exceed ``PackedGEMM/panelThreshold``, which are memory-bound at the low
/// resolutions where they occur).
struct SharedConvBatching {
    var nodes: [Graph.Node]
    var shapes: [TensorShape]
    var names: [String]

    /// Applies the rewrite to every eligible pair.
    mutating func run() {
        var i = 0
        while i < nodes.count {
            if let j = partner(of: i) { batch(i, j) }
            i += 1
        }
    }

    /// A batch-1 conv large enough to pay for the copies, without a residual operand, in fp32.
    private func candidate(_ i: Int) -> Conv2D? {
        guard case .kernel(let k) = nodes[i].operation, let conv = k as? Conv2D, conv.geometry.batch == 1,
              conv.residualChannels == 0, conv.bfloat16 == nil,
              conv.weights.count > PackedGEMM<DenseRows>.panelThreshold else { return nil }
        return conv
    }

    /// The later node running the same conv as node `i` on an input computed before `i`, if any.
    private func partner(of i: Int) -> Int? {
        guard let conv = candidate(i) else { return nil }
        let x = nodes[i].inputs[0]
        for j in (i + 1)..<nodes.count {
            guard let other = candidate(j), other.weights === conv.weights, other.bias === conv.bias,
                  other.geometry == conv.geometry, other.activation.isSame(as: conv.activation) else { continue }
            let y = nodes[j].inputs[0]
            let producer = nodes.firstIndex { $0.output == y }
            guard y != x, producer.map({ $0 < i }) ?? true else { continue }
            return j
        }
        return nil
    }

    private mutating func newValue(_ shape: TensorShape, name: String) -> Int {
        shapes.append(shape)
        names.append(name)
        return shapes.count - 1
    }

    private mutating func batch(_ i: Int, _ j: Int) {
        guard case .kernel(let k) = nodes[i].operation, let conv = k as? Conv2D else { return }
        let (x, y) = (nodes[i].inputs[0], nodes[j].inputs[0])
        let (outA, outB) = (nodes[i].output, nodes[j].output)
        let single = shapes[outA]
        var inDims = shapes[x].dims, outDims = single.dims
        inDims[0] = 2
        outDims[0] = 2
        let stacked = newValue(TensorShape(inDims), name: names[x] + "+" + names[y])
        let both = newValue(TensorShape(outDims), name: names[outA] + "+" + names[outB])
        let starts = [Int](repeating: 0, count: single.rank)
        let half = Slice(shape: TensorShape(outDims), starts: starts, sizes: single.dims)
        var second = starts
        second[0] = 1
        nodes.remove(at: j)
        nodes.replaceSubrange(i...i, with: [
            Graph.Node(operation: .kernel(Concatenation(shapes: [shapes[x], shapes[y]], axis: 0, activation: .none)),
                       inputs: [x, y], output: stacked),
            Graph.Node(operation: .kernel(conv.batched(2)), inputs: [stacked], output: both),
            Graph.Node(operation: .kernel(half), inputs: [both], output: outA),
            Graph.Node(operation: .kernel(Slice(shape: TensorShape(outDims), starts: second, sizes: single.dims)),
                       inputs: [both], output: outB),
        ])
    }
}
