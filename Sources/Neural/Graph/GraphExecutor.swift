import Dispatch

/// Runs a ``Graph``: owns the activation arena and resolves every kernel's pointers once, so a run allocates
/// nothing. Not thread-safe; create one executor per thread (they can share the graph).
public final class GraphExecutor {
    public let graph: Graph
    private let arena: AlignedBuffer
    private let pointerTable: UnsafeMutablePointer<UnsafePointer<Float>>
    private let steps: [Step]

    private struct Step {
        let kernel: any Kernel
        let inputs: UnsafeBufferPointer<UnsafePointer<Float>>
        let output: UnsafeMutablePointer<Float>
    }

    public init(graph: Graph) {
        self.graph = graph
        let plan = graph.plan
        arena = AlignedBuffer(count: plan.arenaCount + plan.scratchCount)
        let base = arena.baseAddress
        let kernelNodes = graph.nodes.compactMap { node -> (any Kernel, Graph.Node)? in
            if case .kernel(let k) = node.operation { (k, node) } else { nil }
        }
        let tableCount = kernelNodes.reduce(0) { $0 + $1.1.inputs.count }
        pointerTable = .allocate(capacity: max(tableCount, 1))
        var steps: [Step] = []
        var slot = 0
        for (kernel, node) in kernelNodes {
            let start = pointerTable + slot
            for (j, v) in node.inputs.enumerated() { start[j] = UnsafePointer(base + plan.offsets[v]!) }
            steps.append(Step(kernel: kernel, inputs: UnsafeBufferPointer(start: start, count: node.inputs.count),
                              output: base + plan.offsets[node.output]!))
            slot += node.inputs.count
        }
        self.steps = steps
    }

    deinit { pointerTable.deallocate() }

    /// Runs the network on whatever the input buffers hold.
    public func run() {
        let scratch = arena.baseAddress + graph.plan.arenaCount
        for step in steps {
            step.kernel.run(inputs: step.inputs, output: step.output, scratch: scratch)
        }
    }

    /// Runs once and returns each kernel's wall time in milliseconds, labelled (for profiling; see ``run()``).
    public func runProfiled() -> [(kernel: String, milliseconds: Double)] {
        let scratch = arena.baseAddress + graph.plan.arenaCount
        return steps.map { step in
            let start = DispatchTime.now().uptimeNanoseconds
            step.kernel.run(inputs: step.inputs, output: step.output, scratch: scratch)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            return (step.kernel.label, ms)
        }
    }

    /// Gives write access to input `index` (row-major, ``Graph/inputShapes``) to fill it before ``run()``.
    public func withInput<R>(_ index: Int = 0, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        let v = graph.inputs[index]
        return try body(UnsafeMutableBufferPointer(start: arena.baseAddress + graph.plan.offsets[v]!, count: graph.shapes[v].count))
    }

    /// Gives read access to output `index` after ``run()``; valid until the next run.
    public func withOutput<R>(_ index: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let v = graph.outputs[index]
        return try body(UnsafeBufferPointer(start: arena.baseAddress + graph.plan.offsets[v]!, count: graph.shapes[v].count))
    }

    /// Copies `inputs` in, runs, and copies the outputs out (convenient; allocates the result tensors).
    public func run(_ inputs: [Tensor]) -> [Tensor] {
        precondition(inputs.map(\.shape) == graph.inputShapes, "input shapes \(inputs.map(\.shape)) ≠ \(graph.inputShapes)")
        for (i, tensor) in inputs.enumerated() {
            withInput(i) { dst in tensor.withUnsafeBufferPointer { _ = dst.update(fromContentsOf: $0) } }
        }
        run()
        return graph.outputs.indices.map { i in
            var t = Tensor(shape: graph.outputShapes[i])
            withOutput(i) { src in t.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: src) } }
            return t
        }
    }
}
