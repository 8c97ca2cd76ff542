/// A tensor known at load time (initializer, `Constant`, or a folded shape computation), in ONNX's logical layout.
///
/// Integers (shapes, indices, int32/int64/bool tensors) and floats are kept apart so shape arithmetic stays exact.
struct ConstantTensor: Sendable {
    enum Values: Sendable {
        case float([Float])
        case int([Int])
    }

    var shape: [Int]
    var values: Values

    init(shape: [Int], floats: [Float]) { self.shape = shape; values = .float(floats) }
    init(shape: [Int], ints: [Int]) { self.shape = shape; values = .int(ints) }

    var count: Int { shape.reduce(1, *) }
    var isInteger: Bool { if case .int = values { true } else { false } }

    var floats: [Float] {
        switch values {
        case .float(let f): f
        case .int(let i): i.map { Float($0) }
        }
    }

    var ints: [Int] {
        switch values {
        case .int(let i): i
        case .float(let f): f.map { $0.isFinite ? Int(max(min($0, 9.0e18), -9.0e18)) : 0 }
        }
    }

    /// A copy with the same values under another shape (same element count).
    func reshaped(_ newShape: [Int]) -> ConstantTensor {
        var c = self
        c.shape = newShape
        return c
    }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in shape.indices.reversed() { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// Applies `pick(sourceIndex)` for every output element of `outShape`, where the source index is computed by
    /// `source(outIndex)`: the common loop of transpose, gather, slice, tile and broadcast.
    private func remapped(_ outShape: [Int], _ source: ([Int]) -> Int) -> ConstantTensor {
        let n = outShape.reduce(1, *)
        var index = [Int](repeating: 0, count: outShape.count)
        var map = [Int](repeating: 0, count: n)
        for k in 0..<n {
            map[k] = source(index)
            var d = outShape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < outShape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        switch values {
        case .float(let f): return ConstantTensor(shape: outShape, floats: map.map { f[$0] })
        case .int(let i): return ConstantTensor(shape: outShape, ints: map.map { i[$0] })
        }
    }

    func transposed(_ perm: [Int]) -> ConstantTensor {
        let s = Self.strides(shape)
        return remapped(perm.map { shape[$0] }) { idx in zip(perm, idx).reduce(0) { $0 + s[$1.0] * $1.1 } }
    }

    /// This tensor broadcast (NumPy rules) to `target`, which it must be broadcastable to.
    func broadcast(to target: [Int]) -> ConstantTensor {
        if shape == target { return self }
        let lead = target.count - shape.count
        let padded = [Int](repeating: 1, count: lead) + shape
        let s = Self.strides(padded)
        return remapped(target) { idx in
            var o = 0
            for d in idx.indices where padded[d] != 1 { o += idx[d] * s[d] }
            return o
        }
    }

    /// Elements `starts[d] ..< starts[d] + sizes[d]` with `steps[d]` per axis.
    func sliced(starts: [Int], sizes: [Int], steps: [Int]) -> ConstantTensor {
        let s = Self.strides(shape)
        return remapped(sizes) { idx in idx.indices.reduce(0) { $0 + (starts[$1] + idx[$1] * steps[$1]) * s[$1] } }
    }

    func gathered(indices: ConstantTensor, axis: Int) -> ConstantTensor {
        let idx = indices.ints.map { $0 < 0 ? $0 + shape[axis] : $0 }
        let outShape = Array(shape[..<axis]) + indices.shape + Array(shape[(axis + 1)...])
        let s = Self.strides(shape)
        let r = indices.shape.count
        return remapped(outShape) { o in
            var offset = 0
            for d in 0..<axis { offset += o[d] * s[d] }
            var flat = 0
            for d in 0..<r { flat = flat * indices.shape[d] + o[axis + d] }
            offset += idx[flat] * s[axis]
            for d in (axis + 1)..<shape.count { offset += o[d + r - 1] * s[d] }
            return offset
        }
    }

    func tiled(_ repeats: [Int]) -> ConstantTensor {
        let s = Self.strides(shape)
        return remapped(zip(shape, repeats).map(*)) { idx in idx.indices.reduce(0) { $0 + (idx[$1] % shape[$1]) * s[$1] } }
    }

    static func concatenated(_ parts: [ConstantTensor], axis: Int) -> ConstantTensor {
        var outShape = parts[0].shape
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let outer = outShape[..<axis].reduce(1, *)
        let integer = parts.allSatisfy(\.isInteger)
        var f: [Float] = [], i: [Int] = []
        for o in 0..<outer {
            for p in parts {
                let run = p.shape[axis...].reduce(1, *)
                if integer { i += p.ints[o * run ..< (o + 1) * run] } else { f += p.floats[o * run ..< (o + 1) * run] }
            }
        }
        return integer ? ConstantTensor(shape: outShape, ints: i) : ConstantTensor(shape: outShape, floats: f)
    }

    /// NumPy broadcast of two shapes, or nil when they do not broadcast.
    static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let n = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: n - a.count) + a, pb = [Int](repeating: 1, count: n - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        return out
    }

    /// Elementwise `a ⊕ b` with broadcasting; integer when both are integer.
    static func binary(_ a: ConstantTensor, _ b: ConstantTensor, int: (Int, Int) -> Int, float: (Float, Float) -> Float) -> ConstantTensor? {
        guard let shape = broadcastShape(a.shape, b.shape) else { return nil }
        let x = a.broadcast(to: shape), y = b.broadcast(to: shape)
        if a.isInteger && b.isInteger { return ConstantTensor(shape: shape, ints: zip(x.ints, y.ints).map(int)) }
        return ConstantTensor(shape: shape, floats: zip(x.floats, y.floats).map(float))
    }
}
