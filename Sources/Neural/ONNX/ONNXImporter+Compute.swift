import Foundation

extension ONNXImporter {
    // MARK: Convolution and dense layers

    mutating func importConv(_ site: ONNXNodeSite) throws(ONNXError) {
        // A zero Pad of the spatial axes feeding only convolutions was deferred: it becomes the conv's padding.
        let deferred = site.inputName(0).flatMap { deferredPads[$0] }
        let source = if let deferred { deferred.input } else { try activation(site, 0) }
        let x = try relayout(source, to: Self.channelsLast)
        let w = try constant(site, 1)
        guard x.shape.count == 4, w.shape.count == 4 else { throw site.unsupported("only 2-D convolutions (input \(x.shape), weights \(w.shape))") }
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let group = try site.int("group", 1)
        guard group >= 1, cin % group == 0, w.shape[1] == cin / group else {
            throw site.unsupported("weights \(w.shape) for \(cin) input channels in \(group) groups")
        }
        if let k = try site.ints("kernel_shape"), k != [kh, kw] { throw site.attributeError("kernel_shape", "\(k) ≠ weights \(kh)×\(kw)") }
        if let d = try site.ints("dilations"), d.contains(where: { $0 != 1 }) { throw site.attributeError("dilations", "\(d) (only 1)") }
        let strides = try site.ints("strides") ?? [1, 1]
        guard strides.count == 2, strides.allSatisfy({ $0 >= 1 && $0 <= 64 }) else { throw site.attributeError("strides", "\(strides)") }
        var pads = try site.ints("pads") ?? [0, 0, 0, 0]
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else { throw site.attributeError("pads", "\(pads)") }
        switch site.string("auto_pad", "NOTSET") {
        case "NOTSET", "": break
        case "VALID": pads = [0, 0, 0, 0]
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            for (axis, (size, k)) in [(h, kh), (wd, kw)].enumerated() {
                let out = (size + strides[axis] - 1) / strides[axis]
                let total = max((out - 1) * strides[axis] + k - size, 0)
                let small = total / 2
                pads[axis] = mode == "SAME_UPPER" ? small : total - small
                pads[axis + 2] = total - pads[axis]
            }
        case let mode: throw site.attributeError("auto_pad", "'\(mode)'")
        }
        if let deferred {
            guard site.string("auto_pad", "NOTSET") == "NOTSET" else { throw site.unsupported("auto_pad after an explicit Pad") }
            for k in 0..<4 { pads[k] += deferred.pads[k] }
        }
        guard let g = WindowGeometry(input: TensorShape(x.physical), kernelHeight: kh, kernelWidth: kw,
                                     strideY: strides[0], strideX: strides[1],
                                     padTop: pads[0], padLeft: pads[1], padBottom: pads[2], padRight: pads[3])
        else { throw site.unsupported("kernel \(kh)×\(kw), pads \(pads) on input \(x.shape)") }
        var bias = try optionalConstant(site, 2)?.floats
        guard bias == nil || bias!.count == cout else { throw site.unsupported("bias of \(bias!.count) for \(cout) outputs") }
        var name = try site.output()
        if let (add, b) = fusibleBias(after: name, features: cout, axis: 1, rank: 4) {
            bias = zip(bias ?? [Float](repeating: 0, count: cout), b).map(+)
            name = add
        }
        let kernel: any Kernel
        if group == 1 {
            // A network called twice (LIAE's decoder) reuses its convs' weights: one packed copy, which also lets
            // the graph batch the two calls (``SharedConvBatching``).
            let weightsName = site.inputName(1)
            if let weightsName, let shared = sharedConvs[weightsName], shared.kernel.geometry == g, shared.bias == bias {
                kernel = shared.kernel
            } else {
                // ONNX OIHW → the runtime's OHWI.
                let conv = Conv2D(geometry: g, inChannels: cin, outChannels: cout, weights: w.transposed([0, 2, 3, 1]).floats,
                                  bias: bias, activation: .none)
                if let weightsName { sharedConvs[weightsName] = (conv, bias) }
                kernel = conv
            }
        } else if group == cin && cout == cin {
            // Depthwise: [C, 1, kh, kw] → [1, kh, kw, C].
            kernel = DepthwiseConv2D(geometry: g, channels: cin, weights: w.transposed([1, 2, 3, 0]).floats, bias: bias, activation: .none)
        } else {
            throw site.attributeError("group", "\(group) groups of \(cin) channels (only 1 or depthwise)")
        }
        try emit(kernel, inputs: [x], name: name, shape: [n, cout, g.outHeight, g.outWidth], perm: Self.channelsLast)
    }

    /// When the only reader of `value` is an `Add` of a constant that is one value per feature along `axis`
    /// (a bias, as DeepFaceLab adds it after every conv and matmul): the Add's output name and the bias, and the Add
    /// is marked absorbed.
    mutating func fusibleBias(after value: String, features: Int, axis: Int, rank: Int) -> (String, [Float])? {
        guard let users = consumers[value], users.count == 1, !model.outputs.contains(where: { $0.name == value }) else { return nil }
        let add = model.nodes[users[0]]
        guard add.opType == "Add", add.inputs.count == 2, let out = add.outputs.first, !out.isEmpty else { return nil }
        let other = add.inputs[0] == value ? add.inputs[1] : add.inputs[0]
        guard case .constant(let c)? = values[other], c.shape.count <= rank, c.count == features || c.count == 1 else { return nil }
        let padded = [Int](repeating: 1, count: rank - c.shape.count) + c.shape
        guard c.count == 1 || padded.indices.allSatisfy({ $0 == axis ? padded[$0] == features : padded[$0] == 1 }) else { return nil }
        absorbed.insert(users[0])
        let v = c.floats
        return (out, c.count == 1 ? [Float](repeating: v[0], count: features) : v)
    }

    /// MatMul with constant weights, or Gemm; a following `Add` of a bias vector is fused.
    mutating func importMatMul(_ site: ONNXNodeSite, index: Int) throws(ONNXError) {
        let a = try relayout(try activation(site, 0), to: Array(try activation(site, 0).perm.indices))
        var w = try constant(site, 1)
        var bias: [Float]?
        guard let k = a.shape.last, a.shape.count >= 2 || site.op == "MatMul" else { throw site.unsupported("input \(a.shape)") }
        if site.op == "Gemm" {
            guard a.shape.count == 2, try site.int("transA", 0) == 0 else { throw site.unsupported("transposed or non-matrix A \(a.shape)") }
            let alpha = try site.float("alpha", 1), beta = try site.float("beta", 1)
            if try site.int("transB", 0) == 1, w.shape.count == 2 { w = w.transposed([1, 0]) }
            if alpha != 1 { w = ConstantTensor(shape: w.shape, floats: w.floats.map { $0 * alpha }) }
            if let c = try optionalConstant(site, 2), w.shape.count == 2 {
                guard c.count == 1 || c.count == w.shape[1], c.shape.count <= 1 || c.shape.dropLast().allSatisfy({ $0 == 1 }) else {
                    throw site.unsupported("bias \(c.shape) (only a vector)")
                }
                let values = c.floats
                bias = (0..<w.shape[1]).map { values[values.count == 1 ? 0 : $0] * beta }
            }
        }
        guard w.shape.count == 2, w.shape[0] == k else { throw site.unsupported("weights \(w.shape) for input \(a.shape)") }
        let outFeatures = w.shape[1]
        var name = try site.output()
        if bias == nil, let (add, b) = fusibleBias(after: name, features: outFeatures, axis: a.shape.count - 1, rank: a.shape.count) {
            bias = b
            name = add
        }
        let rows = a.count / k
        try emit(FullyConnected(rows: rows, inFeatures: k, outFeatures: outFeatures, weights: w.transposed([1, 0]).floats,
                                bias: bias, activation: .none),
                 inputs: [a], name: name, shape: Array(a.shape.dropLast()) + [outFeatures], perm: Array(a.shape.indices))
    }

    // MARK: Elementwise

    /// A constant in `a`'s storage layout, ready for ``ConstantElementwise``: 1 value, one per stored channel, or
    /// the full tensor; nil when it would broadcast `a` to a larger shape.
    private func physicalConstant(_ c: ConstantTensor, for a: LiveTensor) -> [Float]? {
        guard c.shape.count <= a.shape.count, ConstantTensor.broadcastShape(a.shape, c.shape) == a.shape else { return nil }
        if c.count == 1 { return [c.floats[0]] }
        let padded = c.reshaped([Int](repeating: 1, count: a.shape.count - c.shape.count) + c.shape).transposed(a.perm)
        if padded.shape.dropLast().allSatisfy({ $0 == 1 }) && padded.shape.last == a.physical.last { return padded.floats }
        return padded.broadcast(to: a.physical).floats
    }

    private mutating func emitConstantOp(_ op: BinaryOperator, _ a: LiveTensor, _ k: [Float], name: String) throws(ONNXError) -> LiveTensor {
        let channels = a.physical.last ?? 1
        return try emit(ConstantElementwise(op: op, pixels: a.count / channels, channels: channels, constant: k, activation: .none),
                        inputs: [a], name: name, shape: a.shape, perm: a.perm)
    }

    mutating func importBinary(_ site: ONNXNodeSite) throws(ONNXError) {
        let lhs = try required(site, 0), rhs = try required(site, 1)
        let name = try site.output()
        let op: BinaryOperator = switch site.op {
        case "Add": .add
        case "Sub": .sub
        case "Mul": .mul
        default: .div
        }
        switch (lhs, rhs) {
        case (.constant(let x), .constant(let y)):
            let result = ConstantTensor.binary(x, y, int: { a, b in
                switch op {
                case .add: a &+ b
                case .sub: a &- b
                case .mul: a &* b
                case .div: b == 0 ? 0 : a / b
                }
            }, float: { op($0, $1) })
            guard let result else { throw site.unsupported("shapes \(x.shape) and \(y.shape) do not broadcast") }
            try setConstant(site, result)

        case (.activation(let a), .constant(let c)):
            guard let k = physicalConstant(c, for: a) else { throw site.unsupported("constant \(c.shape) broadcasts \(a.shape) to a larger shape") }
            switch op {
            case .add, .mul: _ = try emitConstantOp(op, a, k, name: name)
            case .sub: _ = try emitConstantOp(.add, a, k.map { -$0 }, name: name)
            case .div: _ = try emitConstantOp(.mul, a, k.map { 1 / $0 }, name: name)
            }

        case (.constant(let c), .activation(let a)):
            guard let k = physicalConstant(c, for: a) else { throw site.unsupported("constant \(c.shape) broadcasts \(a.shape) to a larger shape") }
            switch op {
            case .add, .mul: _ = try emitConstantOp(op, a, k, name: name)
            case .sub:
                let negated = try emitConstantOp(.mul, a, [-1], name: name + "#neg")
                _ = try emitConstantOp(.add, negated, k, name: name)
            case .div:
                let inverse = try emit(UnaryElementwise(op: .reciprocal, count: a.count), inputs: [a], name: k == [1] ? name : name + "#rcp",
                                       shape: a.shape, perm: a.perm)
                if k != [1] { _ = try emitConstantOp(.mul, inverse, k, name: name) }
            }

        case (.activation(var a), .activation(var b)):
            guard let shape = ConstantTensor.broadcastShape(a.shape, b.shape) else {
                throw site.unsupported("shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            if a.shape == b.shape {
                b = try relayout(b, to: a.perm)
                let channels = a.physical.last ?? 1
                try emit(BinaryElementwise(op: op, pixels: a.count / channels, channels: channels, channelsA: channels,
                                           channelsB: channels, activation: .none),
                         inputs: [a, b], name: name, shape: shape, perm: a.perm)
                return
            }
            // Broadcast: both in logical order, padded to the output rank.
            a = try relayout(a, to: Array(a.perm.indices))
            b = try relayout(b, to: Array(b.perm.indices))
            let pad = { (s: [Int]) in [Int](repeating: 1, count: shape.count - s.count) + s }
            try emit(BroadcastBinary(op: op, a: TensorShape(pad(a.shape)), b: TensorShape(pad(b.shape)), output: TensorShape(shape)),
                     inputs: [a, b], name: name, shape: shape, perm: Array(shape.indices))
        }
    }

    mutating func importActivation(_ site: ONNXNodeSite) throws(ONNXError) {
        let act: Activation
        switch site.op {
        case "Relu": act = .relu
        case "Sigmoid": act = .sigmoid
        case "Tanh": act = .tanh
        case "LeakyRelu": act = .leakyRelu(alpha: try site.float("alpha", 0.01))
        default:  // Clip: only the bounds the runtime has as activations.
            let lo = try site.node.attribute("min") != nil ? site.float("min", 0) : (try optionalConstant(site, 1)?.floats.first ?? -.infinity)
            let hi = try site.node.attribute("max") != nil ? site.float("max", 0) : (try optionalConstant(site, 2)?.floats.first ?? .infinity)
            switch (lo, hi) {
            case (0, 6): act = .relu6
            case (0, .infinity): act = .relu
            case (-1, 1): act = .reluN1To1
            default: throw site.unsupported("clip to [\(lo), \(hi)]")
            }
        }
        switch try required(site, 0) {
        case .constant: throw site.unsupported("activation of a constant")
        case .activation(let x):
            let channels = x.physical.last ?? 1
            try emit(ActivationLayer(act, pixels: x.count / channels, channels: channels), inputs: [x], name: try site.output(),
                     shape: x.shape, perm: x.perm)
        }
    }

    mutating func importUnary(_ site: ONNXNodeSite) throws(ONNXError) {
        switch try required(site, 0) {
        case .constant(let c):
            let f: (Float) -> Float = switch site.op {
            case "Sqrt": { $0.squareRoot() }
            case "Reciprocal": { 1 / $0 }
            case "Neg": { -$0 }
            case "Exp": { Foundation.exp($0) }
            case "Abs": { Swift.abs($0) }
            case "Floor": { $0.rounded(.down) }
            case "Ceil": { $0.rounded(.up) }
            default: { $0 == 0 ? 1 : 0 }  // Not
            }
            if c.isInteger, ["Neg", "Abs", "Floor", "Ceil", "Not"].contains(site.op) {
                try setConstant(site, ConstantTensor(shape: c.shape, ints: c.floats.map { Int(f($0)) }))
            } else {
                try setConstant(site, ConstantTensor(shape: c.shape, floats: c.floats.map(f)))
            }
        case .activation(let x):
            let op: UnaryOperator
            switch site.op {
            case "Sqrt": op = .sqrt
            case "Reciprocal": op = .reciprocal
            case "Neg": op = .neg
            case "Exp": op = .exp
            case "Abs": op = .abs
            default: throw site.unsupported("\(site.op) of a run-time tensor")
            }
            try emit(UnaryElementwise(op: op, count: x.count), inputs: [x], name: try site.output(), shape: x.shape, perm: x.perm)
        }
    }

    mutating func importPow(_ site: ONNXNodeSite) throws(ONNXError) {
        let exponent = try constant(site, 1)
        switch try required(site, 0) {
        case .constant(let base):
            guard let r = ConstantTensor.binary(base, exponent, int: { Int(Foundation.pow(Double($0), Double($1))) },
                                                float: { Foundation.pow($0, $1) }) else { throw site.unsupported("shapes do not broadcast") }
            try setConstant(site, r)
        case .activation(let x):
            guard exponent.count == 1 else { throw site.unsupported("exponent of \(exponent.count) values") }
            let name = try site.output()
            switch exponent.floats[0] {
            case 1: values[name] = .activation(x)
            case 2:
                let c = x.physical.last ?? 1
                try emit(BinaryElementwise(op: .mul, pixels: x.count / c, channels: c, channelsA: c, channelsB: c, activation: .none),
                         inputs: [x, x], name: name, shape: x.shape, perm: x.perm)
            case 0.5: try emit(UnaryElementwise(op: .sqrt, count: x.count), inputs: [x], name: name, shape: x.shape, perm: x.perm)
            case -1: try emit(UnaryElementwise(op: .reciprocal, count: x.count), inputs: [x], name: name, shape: x.shape, perm: x.perm)
            case let e: throw site.unsupported("exponent \(e)")
            }
        }
    }

    mutating func importReduceMean(_ site: ONNXNodeSite) throws(ONNXError) {
        let x = try activation(site, 0)
        let rank = x.shape.count
        let rawAxes = try attributeOrInput(site, "axes", 1) ?? Array(0..<rank)
        var axes: [Int] = []
        for a in rawAxes { axes.append(try axis(a, rank: rank, site)) }
        let keep = try site.int("keepdims", 1) == 1
        // The reduced axes must be adjacent in storage; unit axes may sit anywhere.
        let stored = x.perm.indices.filter { axes.contains(x.perm[$0]) && x.shape[x.perm[$0]] != 1 }
        guard let first = stored.first ?? x.perm.indices.first(where: { axes.contains(x.perm[$0]) }),
              let last = stored.last ?? Optional(first),
              (first...last).allSatisfy({ axes.contains(x.perm[$0]) || x.shape[x.perm[$0]] == 1 }) else {
            throw site.unsupported("axes \(rawAxes) are not contiguous in storage")
        }
        let p = x.physical
        let kernel = ReduceMean(outer: p[..<first].reduce(1, *), extent: p[first...last].reduce(1, *), inner: p[(last + 1)...].reduce(1, *))
        var shape = x.shape
        for a in axes { shape[a] = 1 }
        var perm = x.perm
        if !keep {
            shape = x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] }
            perm = x.perm.filter { !axes.contains($0) }.map { q in q - axes.count { $0 < q } }
        }
        // Unit axes between the reduced ones keep their place; the output's storage is [outer, 1…, inner].
        try emit(kernel, inputs: [x], name: try site.output(), shape: shape, perm: perm)
    }

    mutating func importPad(_ site: ONNXNodeSite) throws(ONNXError) {
        let x = try activation(site, 0)
        let mode = site.string("mode", "constant")
        guard mode == "constant" else { throw site.attributeError("mode", "'\(mode)' (only constant)") }
        guard let pads = try attributeOrInput(site, "pads", 1) else { throw site.unsupported("no pads") }
        let fill = site.opset < 11 ? try site.float("value", 0) : (try optionalConstant(site, 2)?.floats.first ?? 0)
        guard fill == 0 else { throw site.unsupported("padding value \(fill) (only 0)") }
        guard try value(site, 3) == nil else { throw site.unsupported("the axes input") }
        let rank = x.shape.count
        guard pads.count == 2 * rank, pads.allSatisfy({ $0 >= 0 && $0 <= 4096 }) else { throw site.unsupported("pads \(pads) for rank \(rank)") }
        guard rank <= 4 else { throw site.unsupported("padding a rank-\(rank) tensor") }
        let shape = x.shape.indices.map { x.shape[$0] + pads[$0] + pads[$0 + rank] }
        if shape == x.shape {
            values[try site.output()] = .activation(x)
            return
        }
        let out = try site.output()
        if rank == 4, pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0, let users = consumers[out], !users.isEmpty,
           users.allSatisfy({ model.nodes[$0].opType == "Conv" && model.nodes[$0].inputs.first == out }),
           !model.outputs.contains(where: { $0.name == out }) {
            deferredPads[out] = (x, [pads[2], pads[3], pads[6], pads[7]])
            return
        }
        let pairs = x.perm.map { (before: pads[$0], after: pads[$0 + rank]) }
        try emit(Pad(shape: TensorShape(x.physical), paddings: pairs), inputs: [x], name: try site.output(), shape: shape, perm: x.perm)
    }

    mutating func importResize(_ site: ONNXNodeSite) throws(ONNXError) {
        let x = try relayout(try activation(site, 0), to: Self.channelsLast)
        guard x.shape.count == 4 else { throw site.unsupported("input \(x.shape) (only NCHW images)") }
        let (h, w) = (x.shape[2], x.shape[3])
        var outH = 0, outW = 0
        let sizes: ConstantTensor? = site.op == "Resize" && site.opset >= 11 ? try optionalConstant(site, 3) : nil
        if let sizes, sizes.count == 4 {
            let s = sizes.ints
            guard s[0] == x.shape[0], s[1] == x.shape[1] else { throw site.unsupported("resizing batch or channels to \(s)") }
            (outH, outW) = (s[2], s[3])
        } else {
            let scales: [Float]
            if site.op == "Upsample" && site.opset < 9 {
                scales = site.node.attribute("scales")?.floats ?? []
            } else {
                scales = try constant(site, site.op == "Resize" && site.opset >= 11 ? 2 : 1).floats
            }
            guard scales.count == 4, scales[0] == 1, scales[1] == 1, scales[2] > 0, scales[3] > 0 else {
                throw site.unsupported("scales \(scales) (only spatial)")
            }
            (outH, outW) = (Int((Float(h) * scales[2]).rounded(.down)), Int((Float(w) * scales[3]).rounded(.down)))
        }
        guard outH >= 1, outW >= 1, outH <= 16384, outW <= 16384 else { throw site.unsupported("output \(outH)×\(outW)") }
        let mode = site.string("mode", "nearest")
        let transform = site.string("coordinate_transformation_mode", site.op == "Upsample" || site.opset < 11 ? "asymmetric" : "half_pixel")
        let nearest = site.string("nearest_mode", "round_prefer_floor")
        let (align, half): (Bool, Bool)
        switch (mode, transform) {
        case ("nearest", "asymmetric") where site.op == "Upsample" || site.opset < 11 || nearest == "floor": (align, half) = (false, false)
        case ("nearest", "tf_half_pixel_for_nn") where nearest == "floor" || site.opset < 11: (align, half) = (false, true)
        case ("linear", "asymmetric"), ("bilinear", "asymmetric"): (align, half) = (false, false)
        case ("linear", "half_pixel"), ("linear", "pytorch_half_pixel"): (align, half) = (false, true)
        case ("linear", "align_corners"): (align, half) = (true, false)
        default: throw site.attributeError("mode", "'\(mode)' with coordinate_transformation_mode '\(transform)', nearest_mode '\(nearest)'")
        }
        let kernel = Resize(mode: mode == "nearest" ? .nearest : .bilinear, input: TensorShape(x.physical), outHeight: outH, outWidth: outW,
                            alignCorners: align, halfPixelCenters: half)
        try emit(kernel, inputs: [x], name: try site.output(), shape: [x.shape[0], x.shape[1], outH, outW], perm: Self.channelsLast)
    }
}
