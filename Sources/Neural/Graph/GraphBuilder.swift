/// Builds a ``Graph`` one operation at a time, for importers outside this module (the swap-model compiler): each
/// call appends a kernel with its constants prepacked, works out the output shape and returns the new value.
///
/// Shapes and operands are the caller's to get right (it has validated its file); a mismatch is a programming
/// error and traps. ``build(outputs:)`` runs the same optimiser as the TFLite importer (residual adds and
/// activations fused into the convolution before them), so a network written as conv → add → activation costs one
/// kernel.
package struct GraphBuilder {
    /// A value (activation tensor) of the graph being built.
    package struct Value: Hashable, Sendable {
        fileprivate let id: Int
    }

    /// Weight layouts the convolution accepts.
    package enum ConvolutionWeightLayout: Sendable {
        /// `[Cout][kh][kw][Cin]` (TFLite).
        case ohwi
        /// `[kh][kw][Cin][Cout]` (Keras, the trainer's layers).
        case hwio
    }

    private var shapes: [TensorShape] = []
    private var names: [String] = []
    private var nodes: [Graph.Node] = []
    private var inputs: [Int] = []

    package init() {}

    /// The shape of `value`.
    package func shape(of value: Value) -> TensorShape { shapes[value.id] }

    /// A value the caller fills before each run (``GraphExecutor/withInput(_:_:)``, in declaration order).
    package mutating func input(_ name: String, shape: TensorShape) -> Value {
        let v = define(name, shape)
        inputs.append(v.id)
        return v
    }

    /// 2-D convolution of an NHWC value, bias and `activation` fused into its epilogue.
    package mutating func conv2D(
        _ x: Value, name: String, weights: [Float], layout: ConvolutionWeightLayout, outChannels: Int,
        kernel: (height: Int, width: Int), stride: Int = 1, padding: Padding = .same, bias: [Float]?,
        activation: Activation = .none
    ) -> Value {
        let input = shape(of: x)
        let cin = input.channels
        guard let g = WindowGeometry(input: input, kernelHeight: kernel.height, kernelWidth: kernel.width,
                                     strideY: stride, strideX: stride, padding: padding)
        else { preconditionFailure("\(name): kernel \(kernel) does not fit \(input)") }
        precondition(weights.count == kernel.height * kernel.width * cin * outChannels, "\(name): weight count")
        let ohwi: [Float]
        switch layout {
        case .ohwi: ohwi = weights
        case .hwio:
            let k = kernel.height * kernel.width * cin
            ohwi = [Float](unsafeUninitializedCapacity: weights.count) { out, count in
                for i in 0..<k { for o in 0..<outChannels { out[o * k + i] = weights[i * outChannels + o] } }
                count = weights.count
            }
        }
        let conv = Conv2D(geometry: g, inChannels: cin, outChannels: outChannels, weights: ohwi, bias: bias,
                          activation: activation)
        return append(conv, name: name, inputs: [x], shape: [g.batch, g.outHeight, g.outWidth, outChannels])
    }

    /// Fully connected layer over the last axis: `[rows × K] → [rows × N]`, weights `[N × K]` (row-major).
    package mutating func fullyConnected(_ x: Value, name: String, weights: [Float], outFeatures: Int, bias: [Float]?,
                                         activation: Activation = .none) -> Value {
        let input = shape(of: x)
        let k = input.channels, rows = input.count / k
        precondition(weights.count == k * outFeatures, "\(name): weight count")
        let kernel = FullyConnected(rows: rows, inFeatures: k, outFeatures: outFeatures, weights: weights, bias: bias,
                                    activation: activation)
        return append(kernel, name: name, inputs: [x], shape: TensorShape(input.dims.dropLast() + [outFeatures]))
    }

    /// Depth-to-space (pixel shuffle, DCR order) by `block`.
    package mutating func depthToSpace(_ x: Value, name: String, block: Int) -> Value {
        let s = shape(of: x)
        precondition(s.rank == 4 && s.channels % (block * block) == 0, "\(name): \(s) by \(block)")
        return append(DepthToSpace(input: s, block: block), name: name, inputs: [x],
                      shape: [s[0], s[1] * block, s[2] * block, s[3] / (block * block)])
    }

    /// The same storage under another shape with as many elements (costs nothing at run time).
    package mutating func reshape(_ x: Value, name: String, to shape: TensorShape) -> Value {
        precondition(shape.count == self.shape(of: x).count, "\(name): \(self.shape(of: x)) → \(shape)")
        let v = define(name, shape)
        nodes.append(Graph.Node(operation: .alias, inputs: [x.id], output: v.id))
        return v
    }

    /// Concatenation along `axis`; the other dimensions must agree. A value may appear more than once.
    package mutating func concatenate(_ xs: [Value], name: String, axis: Int) -> Value {
        let all = xs.map { shape(of: $0) }
        var dims = all[0].dims
        precondition(all.allSatisfy { s in s.rank == dims.count && s.dims.indices.allSatisfy { $0 == axis || s[$0] == dims[$0] } },
                     "\(name): shapes \(all) along \(axis)")
        dims[axis] = all.reduce(0) { $0 + $1[axis] }
        return append(Concatenation(shapes: all, axis: axis, activation: .none), name: name, inputs: xs, shape: TensorShape(dims))
    }

    /// Elementwise sum of two values of the same shape.
    package mutating func add(_ a: Value, _ b: Value, name: String) -> Value {
        let s = shape(of: a)
        precondition(s == shape(of: b), "\(name): \(s) + \(shape(of: b))")
        let kernel = BinaryElementwise(op: .add, pixels: s.count / s.channels, channels: s.channels,
                                       channelsA: s.channels, channelsB: s.channels, activation: .none)
        return append(kernel, name: name, inputs: [a, b], shape: s)
    }

    /// `activation` applied to `x` (fused into the operation before it where possible).
    package mutating func activation(_ x: Value, _ activation: Activation, name: String) -> Value {
        let s = shape(of: x)
        return append(ActivationLayer(activation, pixels: s.count / s.channels, channels: s.channels),
                      name: name, inputs: [x], shape: s)
    }

    /// The optimised graph computing `outputs` (read back in this order).
    package func build(outputs: [Value]) -> Graph {
        precondition(!inputs.isEmpty && !outputs.isEmpty, "a graph needs inputs and outputs")
        return Graph(shapes: shapes, names: names, nodes: nodes, inputs: inputs, outputs: outputs.map(\.id))
    }

    private mutating func define(_ name: String, _ shape: TensorShape) -> Value {
        shapes.append(shape)
        names.append(name)
        return Value(id: shapes.count - 1)
    }

    private mutating func append(_ kernel: any Kernel, name: String, inputs: [Value], shape: TensorShape) -> Value {
        let v = define(name, shape)
        nodes.append(Graph.Node(operation: .kernel(kernel), inputs: inputs.map(\.id), output: v.id))
        return v
    }
}
