/// Mean over a contiguous block of axes: the input viewed as `[outer, extent, inner]`, the output `[outer, inner]`.
struct ReduceMean: Kernel {
    let outer: Int, extent: Int, inner: Int

    init(outer: Int, extent: Int, inner: Int) {
        precondition(outer >= 1 && extent >= 1 && inner >= 1)
        (self.outer, self.extent, self.inner) = (outer, extent, inner)
    }

    var label: String { "ReduceMean [\(outer)×\(extent)×\(inner)]" }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let x = inputs[0]
        let scale = 1 / Float(extent)
        for o in 0..<outer {
            let dst = output + o * inner
            dst.update(repeating: 0, count: inner)
            for e in 0..<extent {
                let src = x + (o * extent + e) * inner
                for i in 0..<inner { dst[i] += src[i] }
            }
            for i in 0..<inner { dst[i] *= scale }
        }
    }
}
