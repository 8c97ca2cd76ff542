/// Fully connected layer: `out[M×N] = x[M×K] · Wᵀ` with weights `[N×K]`, plus bias and activation.
package struct FullyConnected: ActivationFusing {
    let rows: Int, inFeatures: Int, outFeatures: Int
    package let weights: AlignedBuffer
    package let bias: AlignedBuffer?
    var activation: ActivationFunction

    package init(rows: Int, inFeatures: Int, outFeatures: Int, weights: [Float], bias: [Float]?, activation: Activation) {
        precondition(weights.count == inFeatures * outFeatures)
        self.rows = rows
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weights = AlignedBuffer(weights)
        self.bias = bias.map { AlignedBuffer($0) }
        self.activation = ActivationFunction(activation, channels: outFeatures)
    }

    var outputChannels: Int { outFeatures }

    package func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        if rows == 1 {
            MatrixVector.multiply(n: outFeatures, k: inFeatures, w: weights.baseAddress, x: inputs[0], y: output,
                                  threads: NeuralRuntime.threadCount)
        } else {
            BLAS.sgemm(m: rows, n: outFeatures, k: inFeatures, a: inputs[0], lda: inFeatures,
                       b: weights.baseAddress, ldb: inFeatures, transposeB: true, c: output, ldc: outFeatures)
        }
        Epilogue(channels: outFeatures, bias: bias, activation: activation).apply(output, pixels: rows)
    }
}
