/// Zero padding of a rank ≤ 4 tensor (viewed as NHWC), on any axis including channels.
struct Pad: Kernel {
    /// Input dims as NHWC (leading 1s added for lower ranks).
    let input: [Int]
    let output: [Int]
    /// Padding before each of the 4 axes.
    let before: [Int]

    /// `paddings[axis] = (before, after)` per axis of `shape` (rank ≤ 4).
    init(shape: TensorShape, paddings: [(before: Int, after: Int)]) {
        precondition(shape.rank <= 4 && paddings.count == shape.rank)
        let lead = 4 - shape.rank
        input = [Int](repeating: 1, count: lead) + shape.dims
        before = [Int](repeating: 0, count: lead) + paddings.map(\.before)
        output = zip(input, [Int](repeating: 0, count: lead) + paddings.map { $0.before + $0.after }).map { $0 + $1 }
    }

    /// True when only the channel axis is padded, and only at the end (a residual-shortcut pad).
    var isTrailingChannelPad: Bool {
        before == [0, 0, 0, 0] && input[0] == output[0] && input[1] == output[1] && input[2] == output[2]
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let src = inputs[0]
        out.update(repeating: 0, count: output.reduce(1, *))
        let (ih, iw, ic) = (input[1], input[2], input[3])
        let (oh, ow, oc) = (output[1], output[2], output[3])
        for n in 0..<input[0] {
            for y in 0..<ih {
                for x in 0..<iw {
                    let o = (((n + before[0]) * oh + y + before[1]) * ow + x + before[2]) * oc + before[3]
                    (out + o).update(from: src + ((n * ih + y) * iw + x) * ic, count: ic)
                }
            }
        }
    }
}
