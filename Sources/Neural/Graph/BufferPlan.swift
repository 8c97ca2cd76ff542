/// Where each activation lives in an executor's arena, worked out once per graph.
///
/// Values whose lifetimes do not overlap share memory (greedy best-fit over the node order); reshapes alias their
/// input; graph inputs and outputs keep their own space. A kernel's output never shares memory with its inputs.
struct BufferPlan: Sendable {
    /// Float offset of each value in the arena (nil for values no node touches).
    let offsets: [Int?]
    /// Floats of activation storage.
    let arenaCount: Int
    /// Floats of scratch shared by all kernels (placed after the activations).
    let scratchCount: Int

    init(shapes: [TensorShape], nodes: [Graph.Node], inputs: [Int], outputs: [Int]) {
        var root = Array(shapes.indices)
        func find(_ v: Int) -> Int { var v = v; while root[v] != v { v = root[v] }; return v }

        var lastUse = [Int](repeating: -1, count: shapes.count)
        for (i, node) in nodes.enumerated() {
            if case .alias = node.operation { root[node.output] = find(node.inputs[0]) }
            lastUse[find(node.output)] = max(lastUse[find(node.output)], i)
            for v in node.inputs { lastUse[find(v)] = max(lastUse[find(v)], i) }
        }
        for v in inputs + outputs { lastUse[find(v)] = .max }

        var slotOf = [Int?](repeating: nil, count: shapes.count)
        var slotSizes: [Int] = []
        var free: [Int] = []
        func allocate(_ v: Int) {
            let need = (shapes[v].count + 15) & ~15
            // Best fit among free slots; else grow the largest free one; else a new slot.
            if let best = free.filter({ slotSizes[$0] >= need }).min(by: { slotSizes[$0] < slotSizes[$1] })
                ?? free.max(by: { slotSizes[$0] < slotSizes[$1] }) {
                free.removeAll { $0 == best }
                slotSizes[best] = max(slotSizes[best], need)
                slotOf[v] = best
            } else {
                slotSizes.append(need)
                slotOf[v] = slotSizes.count - 1
            }
        }
        for v in inputs where slotOf[find(v)] == nil { allocate(find(v)) }
        var scratch = 0
        for (i, node) in nodes.enumerated() {
            let out = find(node.output)
            if case .kernel(let kernel) = node.operation {
                scratch = max(scratch, kernel.scratchCount)
                if slotOf[out] == nil { allocate(out) }
            }
            for v in Set(node.inputs.map(find) + [out]) where lastUse[v] == i {
                if let s = slotOf[v] { free.append(s) }
            }
        }

        var slotOffsets: [Int] = []
        var total = 0
        for size in slotSizes { slotOffsets.append(total); total += size }
        offsets = shapes.indices.map { v in slotOf[find(v)].map { slotOffsets[$0] } }
        arenaCount = total
        scratchCount = scratch
    }
}
