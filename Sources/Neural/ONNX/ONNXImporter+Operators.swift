extension ONNXImporter {
    // MARK: Operands

    func value(_ site: ONNXNodeSite, _ k: Int) throws(ONNXError) -> Value? {
        guard let name = site.inputName(k) else { return nil }
        guard let v = values[name] else {
            throw .invalidGraph("node '\(site.node.name)' (\(site.op)) reads '\(name)' before it is computed")
        }
        return v
    }

    func required(_ site: ONNXNodeSite, _ k: Int) throws(ONNXError) -> Value {
        guard let v = try value(site, k) else { throw site.unsupported("missing input \(k)") }
        return v
    }

    func constant(_ site: ONNXNodeSite, _ k: Int) throws(ONNXError) -> ConstantTensor {
        guard case .constant(let c) = try required(site, k) else {
            throw site.unsupported("input \(k) ('\(site.node.inputs[k])') must be known at load time, it is computed from run-time values")
        }
        return c
    }

    func optionalConstant(_ site: ONNXNodeSite, _ k: Int) throws(ONNXError) -> ConstantTensor? {
        try value(site, k) == nil ? nil : try constant(site, k)
    }

    func activation(_ site: ONNXNodeSite, _ k: Int) throws(ONNXError) -> LiveTensor {
        guard case .activation(let a) = try required(site, k) else {
            throw site.unsupported("input \(k) is a constant where an activation is expected")
        }
        return a
    }

    /// An integer list given as an attribute (older opsets) or as constant input `k` (newer ones).
    func attributeOrInput(_ site: ONNXNodeSite, _ name: String, _ k: Int) throws(ONNXError) -> [Int]? {
        if let list = try site.ints(name) { return list }
        return try optionalConstant(site, k)?.ints
    }

    /// Axis `axis` (possibly negative) of a rank-`rank` tensor.
    func axis(_ axis: Int, rank: Int, _ site: ONNXNodeSite) throws(ONNXError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < max(rank, 1) else { throw site.unsupported("axis \(axis) for rank \(rank)") }
        return a
    }

    mutating func setConstant(_ site: ONNXNodeSite, _ c: ConstantTensor) throws(ONNXError) {
        guard c.count <= ONNXModel.maxElements else { throw .badShape(value: try site.output(), detail: "folded tensor too large") }
        values[try site.output()] = .constant(c)
    }

    // MARK: Dispatch

    mutating func importNode(_ node: ONNXModel.Node, index: Int) throws(ONNXError) {
        let site = ONNXNodeSite(node: node, opset: model.opset)
        try site.checkAttributes()
        switch node.opType {
        case "Identity", "Dropout":
            values[try site.output()] = try required(site, 0)
        case "Constant":
            try setConstant(site, try constantAttribute(site))
        case "Cast":
            try importCast(site)
        case "Shape":
            let shape: [Int] = switch try required(site, 0) {
            case .constant(let c): c.shape
            case .activation(let a): a.shape
            }
            let rank = shape.count
            var start = try site.int("start", 0), end = try site.int("end", rank)
            if start < 0 { start += rank }
            if end < 0 { end += rank }
            start = min(max(start, 0), rank)
            end = min(max(end, start), rank)
            try setConstant(site, ConstantTensor(shape: [end - start], ints: Array(shape[start..<end])))
        case "Gather":
            let data = try constant(site, 0), indices = try constant(site, 1)
            let ax = try axis(try site.int("axis", 0), rank: data.shape.count, site)
            guard indices.ints.allSatisfy({ $0 >= -data.shape[ax] && $0 < data.shape[ax] }) else { throw site.unsupported("index out of range") }
            try setConstant(site, data.gathered(indices: indices, axis: ax))
        case "Unsqueeze", "Squeeze":
            try importSqueeze(site, unsqueeze: node.opType == "Unsqueeze")
        case "Concat":
            try importConcat(site)
        case "Reshape", "Flatten":
            try importReshape(site, index: index)
        case "Transpose":
            try importTranspose(site)
        case "Slice":
            try importSlice(site)
        case "Split":
            try importSplit(site)
        case "Conv":
            try importConv(site)
        case "MatMul", "Gemm":
            try importMatMul(site, index: index)
        case "Add", "Sub", "Mul", "Div":
            try importBinary(site)
        case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip":
            try importActivation(site)
        case "Sqrt", "Reciprocal", "Neg", "Exp", "Abs", "Floor", "Ceil", "Not":
            try importUnary(site)
        case "Pow":
            try importPow(site)
        case "ReduceMean":
            try importReduceMean(site)
        case "Pad":
            try importPad(site)
        case "DepthToSpace":
            let x = try relayout(try activation(site, 0), to: Self.channelsLast)
            let b = try site.int("blocksize", 0)
            guard x.shape.count == 4, b >= 1, b <= 64, x.shape[1] % (b * b) == 0 else {
                throw site.unsupported("block size \(b) for input \(x.shape)")
            }
            let order: DepthToSpace.Order
            switch site.string("mode", "DCR") {
            case "DCR": order = .depthColumnRow
            case "CRD": order = .columnRowDepth
            case let m: throw site.attributeError("mode", "'\(m)'")
            }
            try emitDepthToSpace(x, block: b, order: order, name: try site.output(), channelsFirst: true)
        case "Resize", "Upsample":
            try importResize(site)
        case "ConstantOfShape", "Equal", "Less", "Greater", "Where", "Range", "Expand", "Tile", "Min", "Max", "And", "Or":
            try foldConstantOperator(site)
        default:
            throw .unsupportedOperator(op: node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)", node: node.name)
        }
    }

    // MARK: Constants and shapes

    private func constantAttribute(_ site: ONNXNodeSite) throws(ONNXError) -> ConstantTensor {
        guard let a = site.node.attributes.first else { throw site.unsupported("no value") }
        switch a.name {
        case "value":
            guard let t = a.tensor else { throw site.attributeError("value", "not a tensor") }
            return try model.decode(t)
        case "value_float": return ConstantTensor(shape: [], floats: [try site.float("value_float", 0)])
        case "value_floats": return ConstantTensor(shape: [a.floats.count], floats: a.floats)
        case "value_int": return ConstantTensor(shape: [], ints: [try site.int("value_int", 0)])
        case "value_ints": return ConstantTensor(shape: [a.ints.count], ints: try site.ints("value_ints") ?? [])
        default: throw site.attributeError(a.name, "not implemented")
        }
    }

    private mutating func importCast(_ site: ONNXNodeSite) throws(ONNXError) {
        let to = try site.int("to", 0)
        guard let type = ONNXDataType(rawValue: to) else { throw site.attributeError("to", "type #\(to)") }
        let toFloat = [.float, .float16, .double, .bfloat16].contains(type)
        switch try required(site, 0) {
        case .constant(let c):
            if toFloat {
                try setConstant(site, ConstantTensor(shape: c.shape, floats: c.floats))
            } else if type == .bool {
                try setConstant(site, ConstantTensor(shape: c.shape, ints: c.floats.map { $0 != 0 ? 1 : 0 }))
            } else {
                try setConstant(site, ConstantTensor(shape: c.shape, ints: c.ints))
            }
        case .activation(let a):
            guard toFloat else {
                throw site.unsupported("cast of a run-time tensor to \(type) (an index computed from an input: bind that input at load)")
            }
            values[try site.output()] = .activation(a)  // the runtime computes in float32 throughout
        }
    }

    private mutating func importSqueeze(_ site: ONNXNodeSite, unsqueeze: Bool) throws(ONNXError) {
        let input = try required(site, 0)
        let shape: [Int] = switch input {
        case .constant(let c): c.shape
        case .activation(let a): a.shape
        }
        let rawAxes = try attributeOrInput(site, "axes", 1)
        let outRank = unsqueeze ? shape.count + (rawAxes?.count ?? 0) : shape.count
        var outShape: [Int]
        var axes: [Int]
        if unsqueeze {
            guard let rawAxes else { throw site.unsupported("no axes") }
            axes = []
            for a in rawAxes { axes.append(try axis(a, rank: outRank, site)) }
            axes.sort()
            guard Set(axes).count == axes.count else { throw site.unsupported("repeated axes \(rawAxes)") }
            outShape = shape
            for a in axes { outShape.insert(1, at: a) }
        } else {
            if let rawAxes {
                axes = []
                for a in rawAxes { axes.append(try axis(a, rank: shape.count, site)) }
            } else {
                axes = shape.indices.filter { shape[$0] == 1 }
            }
            guard axes.allSatisfy({ shape[$0] == 1 }) else { throw site.unsupported("squeezing axes \(axes) of \(shape)") }
            outShape = shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        }
        switch input {
        case .constant(let c):
            try setConstant(site, c.reshaped(outShape))
        case .activation(let a):
            var perm: [Int]
            if unsqueeze {
                // Old logical axis i moves to the i-th position not taken by a new axis; each new unit axis is
                // stored just before the axis that follows it logically (identity layouts stay identity).
                let kept = (0..<outRank).filter { !axes.contains($0) }
                perm = a.perm.map { kept[$0] }
                for newAxis in axes {
                    let successor = perm.firstIndex { $0 > newAxis } ?? perm.count
                    perm.insert(newAxis, at: successor)
                }
            } else {
                perm = a.perm.filter { !axes.contains($0) }.map { p in p - axes.count { $0 < p } }
            }
            _ = try alias(a, name: try site.output(), shape: outShape, perm: perm)
        }
    }

    private mutating func importConcat(_ site: ONNXNodeSite) throws(ONNXError) {
        var parts: [Value] = []
        for k in site.node.inputs.indices { parts.append(try required(site, k)) }
        guard !parts.isEmpty else { throw site.unsupported("no inputs") }
        let shapes: [[Int]] = parts.map { p in
            switch p {
            case .constant(let c): c.shape
            case .activation(let a): a.shape
            }
        }
        let rank = shapes[0].count
        let ax = try axis(try site.int("axis", 0), rank: rank, site)
        guard shapes.allSatisfy({ s in s.count == rank && s.indices.allSatisfy { $0 == ax || s[$0] == shapes[0][$0] } }) else {
            throw site.unsupported("shapes \(shapes) along axis \(ax)")
        }
        var outShape = shapes[0]
        outShape[ax] = shapes.reduce(0) { $0 + $1[ax] }
        let constants = parts.compactMap { p -> ConstantTensor? in if case .constant(let c) = p { c } else { nil } }
        if constants.count == parts.count {
            try setConstant(site, ConstantTensor.concatenated(constants, axis: ax))
            return
        }
        // Empty constant parts (shape-building leftovers) drop out; others must be run-time tensors.
        var acts: [LiveTensor] = []
        for p in parts {
            switch p {
            case .activation(let a): acts.append(a)
            case .constant(let c) where c.count == 0: continue
            case .constant: throw site.unsupported("concatenating a constant with run-time tensors")
            }
        }
        let perm = acts[0].perm
        for i in acts.indices { acts[i] = try relayout(acts[i], to: perm) }
        let physicalAxis = perm.firstIndex(of: ax)!
        if acts.count == 1 {
            _ = try alias(acts[0], name: try site.output(), shape: outShape, perm: perm)
            return
        }
        try emit(Concatenation(shapes: acts.map { TensorShape($0.physical) }, axis: physicalAxis, activation: .none),
                 inputs: acts, name: try site.output(), shape: outShape, perm: perm)
    }

    private mutating func importTranspose(_ site: ONNXNodeSite) throws(ONNXError) {
        let input = try required(site, 0)
        let rank: Int = switch input {
        case .constant(let c): c.shape.count
        case .activation(let a): a.shape.count
        }
        let p = try site.ints("perm") ?? Array((0..<rank).reversed())
        guard p.sorted() == Array(0..<rank) else { throw site.attributeError("perm", "\(p) for rank \(rank)") }
        switch input {
        case .constant(let c):
            try setConstant(site, c.transposed(p))
        case .activation(let a):
            // Output logical axis i is input axis p[i]: storage unchanged, only the labels move.
            let inverse = (0..<rank).map { p.firstIndex(of: $0)! }
            _ = try alias(a, name: try site.output(), shape: p.map { a.shape[$0] }, perm: a.perm.map { inverse[$0] })
        }
    }

    /// Target shape of a Reshape (0 copies, -1 infers) or Flatten.
    private func reshapeTarget(_ site: ONNXNodeSite, input: [Int]) throws(ONNXError) -> [Int] {
        let count = input.reduce(1, *)
        if site.op == "Flatten" {
            let ax = try axis(try site.int("axis", 1), rank: input.count + 1, site)
            return [input[..<ax].reduce(1, *), input[ax...].reduce(1, *)]
        }
        var target = try constant(site, 1).ints
        guard target.count <= 8, target.allSatisfy({ $0 >= -1 && $0 <= ONNXModel.maxElements }) else {
            throw site.unsupported("target shape \(target)")
        }
        let allowZero = try site.int("allowzero", 0) == 1
        for i in target.indices where target[i] == 0 && !allowZero {
            guard i < input.count else { throw site.unsupported("0 in target \(target) beyond rank \(input.count)") }
            target[i] = input[i]
        }
        let known = target.filter { $0 != -1 }.reduce(1, *)
        let inferred = target.filter { $0 == -1 }.count
        guard inferred <= 1, target.allSatisfy({ $0 >= 1 || $0 == -1 }), known > 0,
              inferred == 1 ? count % known == 0 : known == count else {
            throw site.unsupported("cannot reshape \(input) to \(target)")
        }
        return target.map { $0 == -1 ? count / known : $0 }
    }

    private mutating func importReshape(_ site: ONNXNodeSite, index: Int) throws(ONNXError) {
        switch try required(site, 0) {
        case .constant(let c):
            try setConstant(site, c.reshaped(try reshapeTarget(site, input: c.shape)))
        case .activation(let a):
            let target = try reshapeTarget(site, input: a.shape)
            if try importDepthToSpacePattern(site, index: index, input: a, target: target) { return }
            if target.filter({ $0 != 1 }) == a.shape.filter({ $0 != 1 }) {
                // Only unit axes change: keep the layout, placing unit axes where the data order allows.
                let order = a.perm.filter { a.shape[$0] != 1 }
                let nonUnitTarget = target.indices.filter { target[$0] != 1 }
                let nonUnitSource = a.shape.indices.filter { a.shape[$0] != 1 }
                let mapped = order.map { nonUnitTarget[nonUnitSource.firstIndex(of: $0)!] }
                let perm = mapped + target.indices.filter { target[$0] == 1 }
                _ = try alias(a, name: try site.output(), shape: target, perm: perm)
                return
            }
            let x = try relayout(a, to: Array(a.perm.indices))
            _ = try alias(x, name: try site.output(), shape: target, perm: Array(target.indices))
        }
    }

    /// `Reshape → Transpose → Reshape` spelling out depth-to-space (DeepFaceLab's CPU export, NHWC exports) → one kernel.
    private mutating func importDepthToSpacePattern(_ site: ONNXNodeSite, index: Int, input a: LiveTensor, target: [Int]) throws(ONNXError) -> Bool {
        guard a.shape.count == 4, target.count == 6, let out1 = site.node.outputs.first,
              let c1 = consumers[out1], c1.count == 1, !model.outputs.contains(where: { $0.name == out1 }) else { return false }
        let t = model.nodes[c1[0]]
        guard t.opType == "Transpose", let tOut = t.outputs.first, let c2 = consumers[tOut], c2.count == 1,
              !model.outputs.contains(where: { $0.name == tOut }) else { return false }
        let r = model.nodes[c2[0]]
        let tSite = ONNXNodeSite(node: t, opset: site.opset), rSite = ONNXNodeSite(node: r, opset: site.opset)
        guard r.opType == "Reshape", r.inputs.first == tOut, let perm = try tSite.ints("perm"),
              case .constant(let shape2)? = r.inputs.count > 1 ? values[r.inputs[1]] : nil else { return false }
        let s = a.shape, final = shape2.ints
        let (n, c, h, w) = (s[0], s[1], s[2], s[3])
        let b = target[1]
        guard b >= 2, final.count == 4, final[0] == n || final[0] == -1 || final[0] == 0 else { return false }
        let name = try rSite.output()
        // NCHW, DCR: [n, b, b, c/b², h, w] · (0, 3, 4, 1, 5, 2) → [n, c/b², h·b, w·b].
        if target == [n, b, b, c / (b * b), h, w], perm == [0, 3, 4, 1, 5, 2], Array(final[1...]) == [c / (b * b), h * b, w * b] {
            try emitDepthToSpace(try relayout(a, to: Self.channelsLast), block: b, order: .depthColumnRow, name: name, channelsFirst: true)
        } else if target == [n, c / (b * b), b, b, h, w], perm == [0, 1, 4, 2, 5, 3], Array(final[1...]) == [c / (b * b), h * b, w * b] {
            try emitDepthToSpace(try relayout(a, to: Self.channelsLast), block: b, order: .columnRowDepth, name: name, channelsFirst: true)
        } else if target == [n, c, h, target[3], target[3], w / (target[3] * target[3])], perm == [0, 1, 3, 2, 4, 5],
                  Array(final[1...]) == [c * target[3], h * target[3], w / (target[3] * target[3])] {
            // NHWC input [n, H, W, C] (here c = H, h = W, w = C): DCR in TensorFlow's own layout.
            let block = target[3]
            try emitDepthToSpace(try relayout(a, to: [0, 1, 2, 3]), block: block, order: .depthColumnRow, name: name, channelsFirst: false)
        } else {
            return false
        }
        absorbed.insert(c1[0])
        absorbed.insert(c2[0])
        return true
    }

    /// Depth-to-space on a tensor stored NHWC; `channelsFirst` says whether its logical shape is NCHW or NHWC.
    mutating func emitDepthToSpace(_ x: LiveTensor, block b: Int, order: DepthToSpace.Order, name: String, channelsFirst: Bool) throws(ONNXError) {
        let p = x.physical
        guard p[3] % (b * b) == 0 else { throw .badShape(value: name, detail: "depth-to-space of \(x.shape) by \(b)") }
        let kernel = DepthToSpace(input: TensorShape(p), block: b, order: order)
        let oc = p[3] / (b * b)
        if channelsFirst {
            try emit(kernel, inputs: [x], name: name, shape: [p[0], oc, p[1] * b, p[2] * b], perm: Self.channelsLast)
        } else {
            try emit(kernel, inputs: [x], name: name, shape: [p[0], p[1] * b, p[2] * b, oc], perm: [0, 1, 2, 3])
        }
    }

    private mutating func importSlice(_ site: ONNXNodeSite) throws(ONNXError) {
        let input = try required(site, 0)
        let shape: [Int] = switch input {
        case .constant(let c): c.shape
        case .activation(let a): a.shape
        }
        let starts: [Int], ends: [Int], rawAxes: [Int]?, steps: [Int]?
        if site.opset < 10 {
            guard let s = try site.ints("starts"), let e = try site.ints("ends") else { throw site.unsupported("no starts/ends") }
            (starts, ends, rawAxes, steps) = (s, e, try site.ints("axes"), nil)
        } else {
            (starts, ends) = (try constant(site, 1).ints, try constant(site, 2).ints)
            rawAxes = try optionalConstant(site, 3)?.ints
            steps = try optionalConstant(site, 4)?.ints
        }
        let axesList = rawAxes ?? Array(starts.indices)
        guard starts.count == ends.count, axesList.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
            throw site.unsupported("starts \(starts), ends \(ends), axes \(axesList)")
        }
        var begin = [Int](repeating: 0, count: shape.count), size = shape, step = [Int](repeating: 1, count: shape.count)
        for (i, rawAxis) in axesList.enumerated() {
            let ax = try axis(rawAxis, rank: shape.count, site)
            let dim = shape[ax], st = steps?[i] ?? 1
            guard st != 0 else { throw site.unsupported("step 0") }
            var s = starts[i] < 0 ? starts[i] + dim : starts[i]
            var e = ends[i] < 0 ? ends[i] + dim : ends[i]
            if st > 0 {
                s = min(max(s, 0), dim); e = min(max(e, 0), dim)
                size[ax] = max(0, (e - s + st - 1) / st)
            } else {
                s = min(max(s, 0), dim - 1); e = min(max(e, -1), dim - 1)
                size[ax] = max(0, (s - e + (-st) - 1) / (-st))
            }
            begin[ax] = s
            step[ax] = st
        }
        switch input {
        case .constant(let c):
            try setConstant(site, c.sliced(starts: begin, sizes: size, steps: step))
        case .activation(let a):
            guard step.allSatisfy({ $0 == 1 }) else { throw site.unsupported("steps \(step) on a run-time tensor") }
            guard size.allSatisfy({ $0 >= 1 }) else { throw .badShape(value: try site.output(), detail: "empty slice \(size)") }
            try emitSlice(a, begin: begin, size: size, name: try site.output())
        }
    }

    mutating func emitSlice(_ a: LiveTensor, begin: [Int], size: [Int], name: String) throws(ONNXError) {
        if size == a.shape {
            _ = try alias(a, name: name, shape: a.shape, perm: a.perm)
            return
        }
        let kernel = Slice(shape: TensorShape(a.physical), starts: a.perm.map { begin[$0] }, sizes: a.perm.map { size[$0] })
        try emit(kernel, inputs: [a], name: name, shape: size, perm: a.perm)
    }

    private mutating func importSplit(_ site: ONNXNodeSite) throws(ONNXError) {
        let a = try activation(site, 0)
        let ax = try axis(try site.int("axis", 0), rank: a.shape.count, site)
        let outputs = site.node.outputs.count
        var sizes = try attributeOrInput(site, "split", 1) ?? []
        if sizes.isEmpty && outputs >= 1 {
            // Equal chunks; a shorter last one when the axis does not divide (opset 18).
            let chunk = (a.shape[ax] + outputs - 1) / outputs
            sizes = [Int](repeating: chunk, count: outputs)
            sizes[outputs - 1] = a.shape[ax] - chunk * (outputs - 1)
        }
        guard sizes.count == outputs, sizes.allSatisfy({ $0 >= 1 }), sizes.reduce(0, +) == a.shape[ax] else {
            throw site.unsupported("split \(sizes) of axis \(ax) (\(a.shape[ax]))")
        }
        var offset = 0
        for (k, n) in sizes.enumerated() {
            var begin = [Int](repeating: 0, count: a.shape.count), size = a.shape
            begin[ax] = offset
            size[ax] = n
            try emitSlice(a, begin: begin, size: size, name: try site.output(k))
            offset += n
        }
    }

    private mutating func foldConstantOperator(_ site: ONNXNodeSite) throws(ONNXError) {
        switch site.op {
        case "ConstantOfShape":
            let shape = try constant(site, 0).ints
            guard ONNXModel.elementCount(shape) != nil else { throw site.unsupported("shape \(shape)") }
            let fill = try site.node.attribute("value")?.tensor.map { t throws(ONNXError) in try model.decode(t) }
                ?? ConstantTensor(shape: [1], floats: [0])
            let n = shape.reduce(1, *)
            try setConstant(site, fill.isInteger
                ? ConstantTensor(shape: shape, ints: [Int](repeating: fill.ints.first ?? 0, count: n))
                : ConstantTensor(shape: shape, floats: [Float](repeating: fill.floats.first ?? 0, count: n)))
        case "Range":
            let start = try constant(site, 0), limit = try constant(site, 1), delta = try constant(site, 2)
            if start.isInteger {
                let (s, l, d) = (start.ints[0], limit.ints[0], delta.ints[0])
                guard d != 0, abs((l - s) / d) <= ONNXModel.maxElements else { throw site.unsupported("range") }
                let values = Array(stride(from: s, to: l, by: d))
                try setConstant(site, ConstantTensor(shape: [values.count], ints: values))
            } else {
                let (s, l, d) = (start.floats[0], limit.floats[0], delta.floats[0])
                guard d != 0, d.isFinite, abs((l - s) / d) <= Float(ONNXModel.maxElements) else { throw site.unsupported("range") }
                let values = Array(stride(from: s, to: l, by: d))
                try setConstant(site, ConstantTensor(shape: [values.count], floats: values))
            }
        case "Expand":
            let c = try constant(site, 0), target = try constant(site, 1).ints
            guard let shape = ConstantTensor.broadcastShape(c.shape, target), ONNXModel.elementCount(shape) != nil else {
                throw site.unsupported("expand \(c.shape) to \(target)")
            }
            try setConstant(site, c.broadcast(to: shape))
        case "Tile":
            let c = try constant(site, 0), repeats = try constant(site, 1).ints
            guard repeats.count == c.shape.count, repeats.allSatisfy({ $0 >= 1 && $0 <= ONNXModel.maxElements }),
                  ONNXModel.elementCount(zip(c.shape, repeats).map(*)) != nil else { throw site.unsupported("repeats \(repeats)") }
            try setConstant(site, c.tiled(repeats))
        case "Where":
            let cond = try constant(site, 0), x = try constant(site, 1), y = try constant(site, 2)
            guard let s1 = ConstantTensor.broadcastShape(cond.shape, x.shape), let shape = ConstantTensor.broadcastShape(s1, y.shape) else {
                throw site.unsupported("shapes do not broadcast")
            }
            let c = cond.broadcast(to: shape).ints, a = x.broadcast(to: shape), b = y.broadcast(to: shape)
            if a.isInteger && b.isInteger {
                try setConstant(site, ConstantTensor(shape: shape, ints: c.indices.map { c[$0] != 0 ? a.ints[$0] : b.ints[$0] }))
            } else {
                let fa = a.floats, fb = b.floats
                try setConstant(site, ConstantTensor(shape: shape, floats: c.indices.map { c[$0] != 0 ? fa[$0] : fb[$0] }))
            }
        default:
            let a = try constant(site, 0), b = try constant(site, 1)
            let result: ConstantTensor? = switch site.op {
            case "Equal": ConstantTensor.binary(a, b, int: { $0 == $1 ? 1 : 0 }, float: { $0 == $1 ? 1 : 0 })
            case "Less": ConstantTensor.binary(a, b, int: { $0 < $1 ? 1 : 0 }, float: { $0 < $1 ? 1 : 0 })
            case "Greater": ConstantTensor.binary(a, b, int: { $0 > $1 ? 1 : 0 }, float: { $0 > $1 ? 1 : 0 })
            case "Min": ConstantTensor.binary(a, b, int: { Swift.min($0, $1) }, float: { Swift.min($0, $1) })
            case "Max": ConstantTensor.binary(a, b, int: { Swift.max($0, $1) }, float: { Swift.max($0, $1) })
            case "And": ConstantTensor.binary(a, b, int: { $0 != 0 && $1 != 0 ? 1 : 0 }, float: { $0 != 0 && $1 != 0 ? 1 : 0 })
            default: ConstantTensor.binary(a, b, int: { $0 != 0 || $1 != 0 ? 1 : 0 }, float: { $0 != 0 || $1 != 0 ? 1 : 0 })
            }
            guard var result else { throw site.unsupported("shapes \(a.shape) and \(b.shape) do not broadcast") }
            if ["Equal", "Less", "Greater", "And", "Or"].contains(site.op) { result = ConstantTensor(shape: result.shape, ints: result.ints) }
            try setConstant(site, result)
        }
    }
}
