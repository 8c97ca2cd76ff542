/// Depth-to-space (pixel shuffle, TensorFlow's DCR order): `out[y·b+i][x·b+j][c] = in[y][x][(i·b+j)·C + c]`.
package struct DepthToSpace: Kernel {
    let batch: Int, height: Int, width: Int, inChannels: Int
    let block: Int

    package init(input: TensorShape, block: Int) {
        (batch, height, width, inChannels) = input.nhwc
        self.block = block
    }

    package func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let b = block
        let oc = inChannels / (b * b)
        let ow = width * b
        for n in 0..<batch {
            for y in 0..<height {
                for x in 0..<width {
                    let src = inputs[0] + ((n * height + y) * width + x) * inChannels
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
