import Neural
/// A trainable fully connected layer without activation: `y = x·Wᵀ + b`, weights `[out × in]`.
///
/// The forward pass is the runtime's ``FullyConnected``, whose weight and bias storage *are* the parameters.
final class DenseLayer: Module {
    let weight: Parameter
    let bias: Parameter
    let inFeatures: Int, outFeatures: Int
    let batch: Int
    private let threads: Int
    private let kernel: FullyConnected
    private let output: AlignedBuffer
    private let inputGradient: AlignedBuffer?
    private var savedInput: UnsafePointer<Float>?

    init(name: String, inFeatures: Int, outFeatures: Int, inputGradient: Bool = true, context: ModuleContext) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        batch = context.batch
        threads = context.threads
        kernel = FullyConnected(rows: batch, inFeatures: inFeatures, outFeatures: outFeatures,
                                weights: [Float](repeating: 0, count: inFeatures * outFeatures),
                                bias: [Float](repeating: 0, count: outFeatures), activation: .none)
        weight = Parameter(name: name + ".weight", shape: [outFeatures, inFeatures], value: kernel.weights)
        bias = Parameter(name: name + ".bias", shape: [outFeatures], value: kernel.bias!)
        output = AlignedBuffer(count: batch * outFeatures)
        self.inputGradient = context.training && inputGradient ? AlignedBuffer(count: batch * inFeatures) : nil
    }

    func initialize(random: inout RandomSource) {
        weight.initializeGlorot(fanIn: inFeatures, fanOut: outFeatures, random: &random)
    }

    var parameters: [Parameter] { [weight, bias] }
    var inputCount: Int { inFeatures }
    var outputCount: Int { outFeatures }
    var flopsPerSample: Int { 2 * inFeatures * outFeatures }

    func forward(_ input: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        savedInput = input
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 1) { operands in
            operands[0] = input
            kernel.run(inputs: UnsafeBufferPointer(operands), output: output.baseAddress, scratch: output.baseAddress)
        }
        return output.baseAddress
    }

    func backward(_ outputGradient: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
        addColumnSums(outputGradient, rows: batch, columns: outFeatures, into: bias.gradient.baseAddress)
        // Both products split by input features (columns of dW and dX) over the threads: every element is the same
        // dot product either way, and the second thread would otherwise wait out the dense layers.
        let input = savedInput!, half = (inFeatures / 2 + 15) / 16 * 16
        let parts = threads > 1 && inFeatures >= 256 ? 2 : 1
        forEachSlice(parts, threads: threads) { s in
            let columns = parts == 1 ? 0..<inFeatures : s == 0 ? 0..<half : half..<inFeatures
            let c0 = columns.lowerBound
            BLAS.gemm(transposeA: true, m: outFeatures, n: columns.count, k: batch, a: outputGradient, lda: outFeatures,
                      b: input + c0, ldb: inFeatures, beta: 1, c: weight.gradient.baseAddress + c0, ldc: inFeatures)
            guard let inputGradient else { return }
            BLAS.gemm(m: batch, n: columns.count, k: outFeatures, a: outputGradient, lda: outFeatures,
                      b: weight.value.baseAddress + c0, ldb: inFeatures, beta: 0, c: inputGradient.baseAddress + c0,
                      ldc: inFeatures)
        }
        return inputGradient?.baseAddress
    }
}
