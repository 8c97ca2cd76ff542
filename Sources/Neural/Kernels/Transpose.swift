/// Axis permutation of a rank ≤ 6 tensor.
struct Transpose: Kernel {
    let outDims: [Int]
    /// Input stride of each output axis.
    let strides: [Int]

    init(shape: TensorShape, permutation: [Int]) {
        var inStrides = [Int](repeating: 1, count: shape.rank)
        for a in stride(from: shape.rank - 2, through: 0, by: -1) { inStrides[a] = inStrides[a + 1] * shape[a + 1] }
        outDims = permutation.map { shape[$0] }
        strides = permutation.map { inStrides[$0] }
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let src = inputs[0]
        var walk = StridedWalk(dims: outDims, strides: strides)
        for o in 0..<outDims.reduce(1, *) {
            output[o] = src[walk.offset]
            walk.advance()
        }
    }
}
