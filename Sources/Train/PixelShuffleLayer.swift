import Neural
/// Depth-to-space by 2 (DCR order, the runtime's ``DepthToSpace``); backward is the inverse permutation.
final class PixelShuffleLayer: Module {
    let height: Int, width: Int, inChannels: Int
    let batch: Int
    private let threads: Int
    /// One batch slice's kernel; the forward pass runs the slices on the threads (a serial copy was ≈ 1 % of a bf16
    /// `live` step, with the second thread idle).
    private let kernel: DepthToSpace
    private let slices: Int
    private let output: AlignedBuffer
    private let inputGradient: AlignedBuffer?
    static let block = 2

    init(height: Int, width: Int, inChannels: Int, context: ModuleContext) {
        precondition(inChannels % 4 == 0)
        self.height = height
        self.width = width
        self.inChannels = inChannels
        batch = context.batch
        threads = context.threads
        slices = context.threads > 1 && batch % 2 == 0 ? 2 : 1
        kernel = DepthToSpace(input: [batch / slices, height, width, inChannels], block: Self.block)
        output = AlignedBuffer(count: batch * height * width * inChannels)
        inputGradient = context.training ? AlignedBuffer(count: batch * height * width * inChannels) : nil
    }

    var parameters: [Parameter] { [] }
    var inputCount: Int { height * width * inChannels }
    var outputCount: Int { inputCount }
    var flopsPerSample: Int { 0 }
    func initialize(random: inout RandomSource) {}

    func forward(_ input: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        let sliceCount = batch / slices * inputCount
        forEachSlice(slices, threads: threads) { s in
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 1) { operands in
                operands[0] = input + s * sliceCount
                let out = output.baseAddress + s * sliceCount
                kernel.run(inputs: UnsafeBufferPointer(operands), output: out, scratch: out)
            }
        }
        return output.baseAddress
    }

    /// `dIn[y][x][(i·2+j)·C + c] = dOut[2y+i][2x+j][c]`.
    func backward(_ outputGradient: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
        guard let inputGradient else { return nil }
        let b = Self.block, oc = inChannels / (b * b), ow = width * b
        let parts = min(threads, batch)
        forEachSlice(parts, threads: threads) { part in
            for n in Parallel.share(batch, part, of: parts) {
                for y in 0..<height {
                    for x in 0..<width {
                        let dst = inputGradient.baseAddress + ((n * height + y) * width + x) * inChannels
                        for i in 0..<b {
                            for j in 0..<b {
                                let src = outputGradient + ((n * height * b + y * b + i) * ow + x * b + j) * oc
                                (dst + (i * b + j) * oc).update(from: src, count: oc)
                            }
                        }
                    }
                }
            }
        }
        return inputGradient.baseAddress
    }
}

/// DeepFaceLab's residual block: `lrelu(x + conv(lrelu(conv(x))))`, 3×3 convolutions, slope 0.2.
final class ResidualBlock: Module {
    let first: ConvLayer
    let second: ConvLayer
    private var savedInput: UnsafePointer<Float>?

    init(name: String, size: Int, channels: Int, activation: LayerActivation = .leakyRelu(0.2), context: ModuleContext) {
        first = ConvLayer(name: name + ".conv1", height: size, width: size, inChannels: channels, outChannels: channels,
                          kernel: 3, activation: activation, context: context)
        second = ConvLayer(name: name + ".conv2", height: size, width: size, inChannels: channels, outChannels: channels,
                           kernel: 3, activation: activation, residual: true, context: context)
    }

    var parameters: [Parameter] { first.parameters + second.parameters }
    var inputCount: Int { first.inputCount }
    var outputCount: Int { second.outputCount }
    var flopsPerSample: Int { first.flopsPerSample + second.flopsPerSample }

    func initialize(random: inout RandomSource) {
        first.initialize(random: &random)
        second.initialize(random: &random)
    }

    func forward(_ input: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        second.forward(UnsafePointer(first.forward(input)), residual: input)
    }

    func backward(_ outputGradient: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
        // After `second.backward`, `outputGradient` holds dL/d(pre-activation sum), which is also dL/dx via the skip.
        guard let hidden = second.backward(outputGradient), let dx = first.backward(hidden) else { return nil }
        accumulate(dx, outputGradient, count: first.batch * inputCount)
        return dx
    }
}
