/// Depth-to-space (pixel shuffle) of an NHWC tensor: in TensorFlow's / ONNX's default DCR order
/// `out[y·b+i][x·b+j][c] = in[y][x][(i·b+j)·C + c]`, or in CRD order (PyTorch's PixelShuffle)
/// `out[y·b+i][x·b+j][c] = in[y][x][c·b² + i·b + j]`.
package struct DepthToSpace: Kernel {
    package enum Order: Sendable { case depthColumnRow, columnRowDepth }

    let batch: Int, height: Int, width: Int, inChannels: Int
    let block: Int
    let order: Order

    package init(input: TensorShape, block: Int, order: Order = .depthColumnRow) {
        (batch, height, width, inChannels) = input.nhwc
        self.block = block
        self.order = order
    }

    package func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let b = block
        let oc = inChannels / (b * b)
        let ow = width * b
        let rows = batch * height
        let parts = rows * width * inChannels >= Conv2D.parallelCopyFloats ? min(NeuralRuntime.threadCount, rows) : 1
        Parallel.forEach(parts) { part in
            for row in Parallel.share(rows, part, of: parts) {
                let (n, y) = row.quotientAndRemainder(dividingBy: height)
                for x in 0..<width {
                    let src = inputs[0] + (row * width + x) * inChannels
                    if order == .columnRowDepth {
                        for i in 0..<b {
                            for j in 0..<b {
                                let dst = output + ((n * height * b + y * b + i) * ow + x * b + j) * oc
                                for c in 0..<oc { dst[c] = src[c * b * b + i * b + j] }
                            }
                        }
                        continue
                    }
                    for i in 0..<b {
                        for j in 0..<b {
                            let dst = output + ((n * height * b + y * b + i) * ow + x * b + j) * oc
                            dst.update(from: src + (i * b + j) * oc, count: oc)
                        }
                    }
                }
            }
        }
    }
}
