/// Concatenation along one axis: for each outer index, copy each input's contiguous chunk in turn.
struct Concatenation: Kernel {
    let outer: Int
    /// Floats each input contributes per outer index.
    let chunks: [Int]
    var activation: ActivationFunction
    let outChannels: Int

    init(shapes: [TensorShape], axis: Int, activation: Activation) {
        outer = shapes[0].dims[..<axis].reduce(1, *)
        chunks = shapes.map { $0.dims[axis...].reduce(1, *) }
        var out = shapes[0].dims
        out[axis] = shapes.map { $0[axis] }.reduce(0, +)
        outChannels = out.last ?? 1
        self.activation = ActivationFunction(activation, channels: outChannels)
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let activation = self.activation.applier
        var dst = output
        for o in 0..<outer {
            for (i, chunk) in chunks.enumerated() {
                dst.update(from: inputs[i] + o * chunk, count: chunk)
                dst += chunk
            }
        }
        if !self.activation.isIdentity {
            let total = chunks.reduce(0, +) * outer
            for i in 0..<total { output[i] = activation(output[i], channel: i % outChannels) }
        }
    }
}
