/// A box of a rank ≤ 6 tensor: `out[i] = in[starts + i]` per axis (unit steps), copied in contiguous runs.
struct Slice: Kernel {
    let inDims: [Int]
    let starts: [Int]
    let outDims: [Int]

    /// `starts[a] + sizes[a] ≤ shape[a]` on every axis.
    init(shape: TensorShape, starts: [Int], sizes: [Int]) {
        precondition(starts.count == shape.rank && sizes.count == shape.rank)
        precondition(zip(zip(starts, sizes), shape.dims).allSatisfy { $0.0 >= 0 && $0.1 >= 1 && $0.0 + $0.1 <= $1 })
        inDims = shape.dims
        self.starts = starts
        outDims = sizes
    }

    var label: String { "Slice \(TensorShape(inDims)) → \(TensorShape(outDims))" }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let rank = inDims.count
        // Merge the trailing axes that are copied whole into one contiguous run.
        var inner = rank - 1
        var run = outDims[inner]
        while inner > 0 && outDims[inner] == inDims[inner] && starts[inner] == 0 {
            inner -= 1
            run *= outDims[inner]
        }
        var strides = [Int](repeating: 1, count: rank)
        for a in stride(from: rank - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * inDims[a + 1] }
        let base = zip(starts, strides).reduce(0) { $0 + $1.0 * $1.1 }
        let outer = outDims[..<inner].reduce(1, *)
        var walk = StridedWalk(dims: Array(outDims[..<inner]), strides: Array(strides[..<inner]), offset: base)
        var dst = output
        for _ in 0..<outer {
            dst.update(from: inputs[0] + walk.offset, count: run)
            dst += run
            walk.advance()
        }
    }
}
