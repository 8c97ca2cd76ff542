/// Mean over a contiguous run of axes (TFLite `MEAN`, e.g. global average pooling over H and W of NHWC).
///
/// The input is viewed as `[outer, reduced, inner]`: every output value averages `reduced` inputs `inner` apart,
/// so the inner loop runs over contiguous channels.
struct Mean: Kernel {
    let outer: Int
    let reduced: Int
    let inner: Int

    /// Averages `shape` over `axes`, which must be a contiguous, non-empty run of its axes.
    init?(shape: TensorShape, axes: [Int]) {
        let sorted = Array(Set(axes)).sorted()
        guard let first = sorted.first, let last = sorted.last, first >= 0, last < shape.rank,
              sorted == Array(first...last) else { return nil }
        outer = shape.dims[..<first].reduce(1, *)
        reduced = shape.dims[first...last].reduce(1, *)
        inner = shape.dims[(last + 1)...].reduce(1, *)
    }

    var label: String { "Mean \(outer)×[\(reduced)]×\(inner)" }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(reduced)
        for o in 0..<outer {
            let src = inputs[0] + o * reduced * inner
            let dst = output + o * inner
            dst.update(from: src, count: inner)
            for r in 1..<max(reduced, 1) {
                let row = src + r * inner
                for i in 0..<inner { dst[i] += row[i] }
            }
            for i in 0..<inner { dst[i] *= scale }
        }
    }
}
