extension Conv2D {
    /// Runs this conv, built for one slice of a larger batch, over `slices` consecutive slices: slice `s` reads the
    /// input (and residual) and writes the output at `s` times this conv's per-run sizes, with scratch
    /// `scratch + s · scratchStride`. With more than one slice and thread the slices run concurrently, one thread
    /// each (the conv is stateless, so they share it and its packed weights); otherwise each run gets `threads`.
    package func run(slices: Int, input: UnsafePointer<Float>, residual: UnsafePointer<Float>? = nil,
                     output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchStride: Int,
                     threads: Int) {
        let g = geometry
        let inStride = g.batch * g.inHeight * g.inWidth * inChannels
        let pixels = g.batch * g.outHeight * g.outWidth
        let concurrent = slices > 1 && threads > 1
        let body = { (s: Int) in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 2) { operands in
                operands[0] = input + s * inStride
                operands[1] = residual.map { $0 + s * pixels * self.residualChannels } ?? input
                self.run(inputs: UnsafeBufferPointer(operands), output: output + s * pixels * self.outChannels,
                         scratch: scratch + s * scratchStride, threads: concurrent ? 1 : threads)
            }
        }
        if concurrent { Parallel.forEach(slices, body) } else { for s in 0..<slices { body(s) } }
    }
}
