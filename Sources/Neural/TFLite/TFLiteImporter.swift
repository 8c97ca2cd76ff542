extension TFLiteModel {
    /// Compiles the model into a runnable ``Graph``: folds fp16 `DEQUANTIZE`s into fp32 constants, prepacks weights,
    /// checks every operator's shapes against the file, and rejects what the runtime cannot run.
    public func makeGraph() throws(TFLiteError) -> Graph {
        var importer = TFLiteImporter(model: self)
        return try importer.importGraph()
    }
}

/// Translates TFLite operators into kernels, one at a time in file order.
struct TFLiteImporter {
    /// Largest tensor accepted (elements); protects against absurd shapes in corrupt files.
    static let maxElements = 1 << 26

    let model: TFLiteModel
    private var constants: [Int: [Float]] = [:]
    private var valueOf: [Int: Int] = [:]
    private var shapes: [TensorShape] = []
    private var names: [String] = []
    private var nodes: [Graph.Node] = []

    init(model: TFLiteModel) { self.model = model }

    mutating func importGraph() throws(TFLiteError) -> Graph {
        var inputs: [Int] = []
        for t in model.inputs {
            try requireFloat32(t)
            inputs.append(try define(t, shape: try declaredShape(t)))
        }
        for (index, op) in model.operators.enumerated() {
            try importOperator(op, index: index)
        }
        var outputs: [Int] = []
        for t in model.outputs {
            guard let v = valueOf[t] else {
                throw .invalidGraph("output '\(model.tensors[t].name)' is never computed")
            }
            outputs.append(v)
        }
        guard !inputs.isEmpty, !outputs.isEmpty else { throw .invalidGraph("the model has no inputs or no outputs") }
        return Graph(shapes: shapes, names: names, nodes: nodes, inputs: inputs, outputs: outputs)
    }

    // MARK: Tensors

    private func name(_ t: Int) -> String { model.tensors[t].name }

    /// The shape stored in the file, validated (positive dims, bounded size).
    private func declaredShape(_ t: Int) throws(TFLiteError) -> TensorShape {
        let dims = model.tensors[t].shape
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard d > 0, !overflow, product <= Self.maxElements else {
                throw .malformed(context: "tensor '\(name(t))' has shape \(dims)")
            }
            count = product
        }
        return TensorShape(dims)
    }

    private func requireFloat32(_ t: Int) throws(TFLiteError) {
        guard model.tensors[t].type == TFLiteTensorType.float32.rawValue else {
            throw .unsupportedTensorType(tensor: name(t), type: model.tensors[t].type)
        }
    }

    /// Registers the output tensor `t` as a new graph value of the computed `shape`, checking the file agrees.
    private mutating func define(_ t: Int, shape: TensorShape) throws(TFLiteError) -> Int {
        guard valueOf[t] == nil, constants[t] == nil else { throw .invalidGraph("tensor '\(name(t))' is written twice") }
        let declared = try declaredShape(t)
        guard declared == shape else { throw .shapeMismatch(tensor: name(t), expected: shape.dims, found: declared.dims) }
        try requireFloat32(t)
        shapes.append(shape)
        names.append(name(t))
        valueOf[t] = shapes.count - 1
        return shapes.count - 1
    }

    /// Float constant data of `t` (fp32, fp16, or a folded DEQUANTIZE), or nil when `t` is not a constant.
    private func constant(_ t: Int) throws(TFLiteError) -> [Float]? {
        if let folded = constants[t] { return folded }
        let data = model.data(of: t)
        guard !data.isEmpty else { return nil }
        let count = try declaredShape(t).count
        switch TFLiteTensorType(rawValue: model.tensors[t].type) {
        case .float32: return try decode(data, of: t, count: count, as: Float.self, "floats") { $0 }
        case .float16: return try decode(data, of: t, count: count, as: UInt16.self, "halfs", floatFromHalf)
        default:
            throw .unsupportedTensorType(tensor: name(t), type: model.tensors[t].type)
        }
    }

    /// Integer constant data of `t` (int32 or int64).
    private func integers(_ t: Int) throws(TFLiteError) -> [Int]? {
        let data = model.data(of: t)
        guard !data.isEmpty else { return nil }
        let count = try declaredShape(t).count
        switch TFLiteTensorType(rawValue: model.tensors[t].type) {
        case .int32: return try decode(data, of: t, count: count, as: Int32.self, "int32s") { Int($0) }
        case .int64: return try decode(data, of: t, count: count, as: Int64.self, "int64s") { Int(truncatingIfNeeded: $0) }
        default:
            throw .unsupportedTensorType(tensor: name(t), type: model.tensors[t].type)
        }
    }

    /// `count` little-endian values of type `T` from tensor `t`'s `data`, converted; `kind` names them when the
    /// byte count is wrong.
    private func decode<T, R>(_ data: ArraySlice<UInt8>, of t: Int, count: Int, as type: T.Type, _ kind: String,
                              _ convert: (T) -> R) throws(TFLiteError) -> [R] {
        let width = MemoryLayout<T>.size
        guard data.count == count * width else {
            throw .malformed(context: "tensor '\(name(t))': \(data.count) bytes for \(count) \(kind)")
        }
        return data.withUnsafeBytes { raw in (0..<count).map { convert(raw.loadUnaligned(fromByteOffset: $0 * width, as: T.self)) } }
    }

    // MARK: Operators

    /// Context of the operator being imported, for operand access and error messages.
    private struct Site {
        let op: TFLiteModel.Operator
        let index: Int
        var name: String { op.code.description }

        func input(_ k: Int) throws(TFLiteError) -> Int {
            guard k < op.inputs.count, op.inputs[k] >= 0 else { throw .invalidGraph("\(name) #\(index): missing input \(k)") }
            return op.inputs[k]
        }

        func optionalInput(_ k: Int) -> Int? { k < op.inputs.count && op.inputs[k] >= 0 ? op.inputs[k] : nil }

        func output() throws(TFLiteError) -> Int {
            guard op.outputs.count == 1, op.outputs[0] >= 0 else { throw .invalidGraph("\(name) #\(index): expected one output") }
            return op.outputs[0]
        }

        func unsupported(_ detail: String) -> TFLiteError { .unsupportedUsage(op: name, index: index, detail: detail) }

        func option<T: FixedWidthInteger>(_ id: Int, _ fallback: T) throws(TFLiteError) -> T {
            try op.options?.scalar(id, default: fallback) ?? fallback
        }

        func activation(_ id: Int) throws(TFLiteError) -> Activation {
            try fusedActivation(try option(id, Int8(0)), op: name, index: index)
        }

        func padding(_ id: Int) throws(TFLiteError) -> Padding {
            switch try option(id, Int8(0)) {
            case 0: return .same
            case 1: return .valid
            case let p: throw unsupported("padding #\(p)")
            }
        }

        /// A stride, kernel size or similar small positive integer option.
        func size(_ id: Int, _ what: String) throws(TFLiteError) -> Int {
            let v = Int(try option(id, Int32(0)))
            guard v >= 1 && v <= 1024 else { throw unsupported("\(what) \(v)") }
            return v
        }
    }

    /// The graph value an operator reads as its activation operand `k`.
    private func activation(_ site: Site, _ k: Int) throws(TFLiteError) -> (value: Int, shape: TensorShape) {
        let t = try site.input(k)
        guard let v = valueOf[t] else {
            if constants[t] != nil || !model.data(of: t).isEmpty {
                throw site.unsupported("constant '\(name(t))' where an activation is expected")
            }
            throw .invalidGraph("\(site.name) #\(site.index) reads '\(name(t))' before it is computed")
        }
        return (v, shapes[v])
    }

    private func requiredConstant(_ site: Site, _ k: Int, count: Int? = nil) throws(TFLiteError) -> [Float] {
        let t = try site.input(k)
        guard let values = try constant(t) else { throw site.unsupported("input '\(name(t))' must be a constant") }
        if let count, values.count != count {
            throw .shapeMismatch(tensor: name(t), expected: [count], found: try declaredShape(t).dims)
        }
        return values
    }

    private func requiredIntegers(_ site: Site, _ k: Int) throws(TFLiteError) -> [Int] {
        let t = try site.input(k)
        guard let values = try integers(t) else { throw site.unsupported("input '\(name(t))' must be a constant") }
        return values
    }

    private mutating func emit(_ kernel: any Kernel, _ site: Site, inputs: [Int], shape: TensorShape) throws(TFLiteError) {
        let out = try define(try site.output(), shape: shape)
        nodes.append(Graph.Node(operation: .kernel(kernel), inputs: inputs, output: out))
    }

    private mutating func importOperator(_ op: TFLiteModel.Operator, index: Int) throws(TFLiteError) {
        let site = Site(op: op, index: index)
        switch op.code {
        case .dequantize:
            let t = try site.input(0)
            guard let values = try constant(t) else { throw site.unsupported("only constant fp16 inputs are folded") }
            let out = try site.output()
            guard valueOf[out] == nil, constants[out] == nil, try declaredShape(out).count == values.count else {
                throw .invalidGraph("DEQUANTIZE #\(index): bad output '\(name(out))'")
            }
            constants[out] = values

        case .conv2D, .depthwiseConv2D:
            try importConvolution(site, depthwise: op.code == .depthwiseConv2D)

        case .maxPool2D, .averagePool2D:
            let x = try activation(site, 0)
            guard x.shape.rank == 4 else { throw site.unsupported("input rank \(x.shape.rank)") }
            guard let g = WindowGeometry(
                input: x.shape, kernelHeight: try site.size(4, "filter height"), kernelWidth: try site.size(3, "filter width"),
                strideY: try site.size(2, "stride"), strideX: try site.size(1, "stride"), padding: try site.padding(0))
            else { throw site.unsupported("window larger than the input") }
            let kernel = Pool2D(mode: op.code == .maxPool2D ? .max : .average, geometry: g, channels: x.shape.channels,
                                activation: try site.activation(5))
            try emit(kernel, site, inputs: [x.value], shape: [g.batch, g.outHeight, g.outWidth, x.shape.channels])

        case .add, .mul:
            try importBinary(site, op: op.code == .add ? .add : .mul)

        case .relu, .relu6, .reluN1To1, .logistic, .tanh, .leakyRelu:
            let x = try activation(site, 0)
            let act: Activation = switch op.code {
            case .relu: .relu
            case .relu6: .relu6
            case .reluN1To1: .reluN1To1
            case .logistic: .sigmoid
            case .tanh: .tanh
            default: .leakyRelu(alpha: try op.options?.float(0, default: 0.2) ?? 0.2)
            }
            try emit(ActivationLayer(act, pixels: x.shape.count / x.shape.channels, channels: x.shape.channels),
                     site, inputs: [x.value], shape: x.shape)

        case .prelu:
            let x = try activation(site, 0)
            let alpha = try requiredConstant(site, 1)
            guard alpha.count == 1 || alpha.count == x.shape.channels else {
                throw site.unsupported("alpha of \(alpha.count) values for \(x.shape.channels) channels")
            }
            try emit(ActivationLayer(.prelu(alpha: alpha), pixels: x.shape.count / x.shape.channels, channels: x.shape.channels),
                     site, inputs: [x.value], shape: x.shape)

        case .reshape:
            let x = try activation(site, 0)
            let out = try site.output()
            let shape = try declaredShape(out)
            guard shape.count == x.shape.count else {
                throw .shapeMismatch(tensor: name(out), expected: [x.shape.count], found: shape.dims)
            }
            let v = try define(out, shape: shape)
            nodes.append(Graph.Node(operation: .alias, inputs: [x.value], output: v))

        case .pad:
            let x = try activation(site, 0)
            let p = try requiredIntegers(site, 1)
            guard x.shape.rank <= 4, p.count == 2 * x.shape.rank, p.allSatisfy({ $0 >= 0 && $0 <= 4096 }) else {
                throw site.unsupported("paddings \(p) for rank \(x.shape.rank)")
            }
            let pairs = (0..<x.shape.rank).map { (before: p[2 * $0], after: p[2 * $0 + 1]) }
            let shape = TensorShape(zip(x.shape.dims, pairs).map { $0 + $1.before + $1.after })
            try emit(Pad(shape: x.shape, paddings: pairs), site, inputs: [x.value], shape: shape)

        case .concatenation:
            var values: [Int] = [], inShapes: [TensorShape] = []
            for k in op.inputs.indices {
                let x = try activation(site, k)
                values.append(x.value)
                inShapes.append(x.shape)
            }
            guard let first = inShapes.first else { throw site.unsupported("no inputs") }
            let rawAxis = Int(try site.option(0, Int32(0)))
            let axis = rawAxis < 0 ? rawAxis + first.rank : rawAxis
            guard axis >= 0 && axis < first.rank,
                  inShapes.allSatisfy({ s in s.rank == first.rank && s.dims.indices.allSatisfy { $0 == axis || s[$0] == first[$0] } })
            else { throw site.unsupported("axis \(rawAxis) for shapes \(inShapes)") }
            var dims = first.dims
            dims[axis] = inShapes.reduce(0) { $0 + $1[axis] }
            try emit(Concatenation(shapes: inShapes, axis: axis, activation: try site.activation(1)),
                     site, inputs: values, shape: TensorShape(dims))

        case .resizeBilinear, .resizeNearestNeighbor:
            let x = try activation(site, 0)
            let size = try requiredIntegers(site, 1)
            guard x.shape.rank == 4, size.count == 2, size.allSatisfy({ $0 >= 1 && $0 <= 16384 }) else {
                throw site.unsupported("size \(size) for input \(x.shape)")
            }
            let bilinear = op.code == .resizeBilinear
            // ResizeBilinearOptions: 2 align_corners, 3 half_pixel_centers; nearest: 0, 1.
            let align = try op.options?.bool(bilinear ? 2 : 0) ?? false
            let half = try op.options?.bool(bilinear ? 3 : 1) ?? false
            let kernel = Resize(mode: bilinear ? .bilinear : .nearest, input: x.shape, outHeight: size[0], outWidth: size[1],
                                alignCorners: align, halfPixelCenters: half)
            try emit(kernel, site, inputs: [x.value], shape: [x.shape[0], size[0], size[1], x.shape[3]])

        case .transpose:
            let x = try activation(site, 0)
            let perm = try requiredIntegers(site, 1)
            guard perm.sorted() == Array(0..<x.shape.rank), x.shape.rank <= 6 else {
                throw site.unsupported("permutation \(perm) for rank \(x.shape.rank)")
            }
            try emit(Transpose(shape: x.shape, permutation: perm), site, inputs: [x.value],
                     shape: TensorShape(perm.map { x.shape[$0] }))

        case .mean:
            let x = try activation(site, 0)
            let axes = try requiredIntegers(site, 1).map { $0 < 0 ? $0 + x.shape.rank : $0 }
            guard let kernel = Mean(shape: x.shape, axes: axes) else {
                throw site.unsupported("axes \(axes) for input \(x.shape) (only one contiguous run of axes)")
            }
            // ReducerOptions: 0 keep_dims.
            let keepDims = try op.options?.bool(0) ?? false
            let dims = x.shape.dims.indices.compactMap { i -> Int? in axes.contains(i) ? (keepDims ? 1 : nil) : x.shape[i] }
            try emit(kernel, site, inputs: [x.value], shape: TensorShape(dims))

        case .fullyConnected:
            let x = try activation(site, 0)
            let wt = try site.input(1)
            let wShape = try declaredShape(wt)
            guard wShape.rank == 2, x.shape.count % wShape[1] == 0 else {
                throw site.unsupported("weights \(wShape) for input \(x.shape)")
            }
            guard try site.option(1, Int8(0)) == 0 else { throw site.unsupported("shuffled weights format") }
            let (n, k) = (wShape[0], wShape[1])
            let weights = try requiredConstant(site, 1, count: n * k)
            let bias: [Float]? = if site.optionalInput(2) != nil { try requiredConstant(site, 2, count: n) } else { nil }
            let rows = x.shape.count / k
            let keepDims = try op.options?.bool(2) ?? false
            let shape: TensorShape = keepDims ? TensorShape(x.shape.dims.dropLast() + [n]) : [rows, n]
            try emit(FullyConnected(rows: rows, inFeatures: k, outFeatures: n, weights: weights, bias: bias,
                                    activation: try site.activation(0)), site, inputs: [x.value], shape: shape)

        case .depthToSpace:
            let x = try activation(site, 0)
            let b = Int(try site.option(0, Int32(0)))
            guard x.shape.rank == 4, b >= 1, b <= 64, x.shape[3] % (b * b) == 0 else {
                throw site.unsupported("block size \(b) for input \(x.shape)")
            }
            try emit(DepthToSpace(input: x.shape, block: b), site, inputs: [x.value],
                     shape: [x.shape[0], x.shape[1] * b, x.shape[2] * b, x.shape[3] / (b * b)])

        default:
            throw .unsupportedOperator(name: op.code.description, index: index)
        }
    }

    private mutating func importConvolution(_ site: Site, depthwise: Bool) throws(TFLiteError) {
        let x = try activation(site, 0)
        guard x.shape.rank == 4 else { throw site.unsupported("input rank \(x.shape.rank)") }
        let wt = try site.input(1)
        let w = try declaredShape(wt)
        let cin = x.shape.channels
        guard w.rank == 4, depthwise ? (w[0] == 1 && w[3] == cin) : w[3] == cin else {
            throw site.unsupported(depthwise ? "weights \(w) for \(cin) channels (only multiplier 1)" : "weights \(w) for \(cin) input channels")
        }
        let cout = depthwise ? cin : w[0]
        let weights = try requiredConstant(site, 1, count: w.count)
        let bias: [Float]? = if site.optionalInput(2) != nil { try requiredConstant(site, 2, count: cout) } else { nil }
        // Conv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 activation, 4/5 dilation.
        // DepthwiseConv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 multiplier, 4 activation, 5/6 dilation.
        let dilation = depthwise ? (5, 6) : (4, 5)
        guard try site.option(dilation.0, Int32(1)) == 1, try site.option(dilation.1, Int32(1)) == 1 else {
            throw site.unsupported("dilation other than 1")
        }
        guard let g = WindowGeometry(input: x.shape, kernelHeight: w[1], kernelWidth: w[2],
                                     strideY: try site.size(2, "stride"), strideX: try site.size(1, "stride"),
                                     padding: try site.padding(0))
        else { throw site.unsupported("kernel \(w[1])×\(w[2]) larger than the input \(x.shape)") }
        let act = try site.activation(depthwise ? 4 : 3)
        let kernel: any Kernel = depthwise
            ? DepthwiseConv2D(geometry: g, channels: cin, weights: weights, bias: bias, activation: act)
            : Conv2D(geometry: g, inChannels: cin, outChannels: cout, weights: weights, bias: bias, activation: act)
        try emit(kernel, site, inputs: [x.value], shape: [g.batch, g.outHeight, g.outWidth, cout])
    }

    private mutating func importBinary(_ site: Site, op: BinaryOperator) throws(TFLiteError) {
        let act = try site.activation(0)
        let a = try site.input(0), b = try site.input(1)
        switch (valueOf[a], valueOf[b]) {
        case let (va?, vb?):
            let sa = shapes[va], sb = shapes[vb]
            guard sa == sb else { throw site.unsupported("broadcast between \(sa) and \(sb)") }
            let kernel = BinaryElementwise(op: op, pixels: sa.count / sa.channels, channels: sa.channels,
                                           channelsA: sa.channels, channelsB: sa.channels, activation: act)
            try emit(kernel, site, inputs: [va, vb], shape: sa)
        case (let v?, nil), (nil, let v?):
            let shape = shapes[v]
            let k = try requiredConstant(site, valueOf[a] == nil ? 0 : 1)
            guard k.count == 1 || k.count == shape.channels || k.count == shape.count else {
                throw site.unsupported("constant of \(k.count) values against \(shape)")
            }
            let kernel = ConstantElementwise(op: op, pixels: shape.count / shape.channels, channels: shape.channels,
                                             constant: k, activation: act)
            try emit(kernel, site, inputs: [v], shape: shape)
        case (nil, nil):
            _ = try activation(site, 0)  // throws the right error
        }
    }
}
