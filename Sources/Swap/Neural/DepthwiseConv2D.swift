/// Depthwise 2-D convolution (channel multiplier 1), NHWC, vectorised across channels with FMA.
///
/// Memory-bound, so it stays in Swift SIMD rather than BLAS: one pass over the input, bias and activation applied
/// in registers.
struct DepthwiseConv2D: Kernel {
    let geometry: WindowGeometry
    let channels: Int
    /// `[kh][kw][C]` (TFLite's `1HWC` without the leading 1).
    let weights: AlignedBuffer
    let bias: AlignedBuffer
    var activation: ActivationFunction

    init(geometry: WindowGeometry, channels: Int, weights: [Float], bias: [Float]?, activation: Activation) {
        precondition(weights.count == geometry.kernelHeight * geometry.kernelWidth * channels)
        self.geometry = geometry
        self.channels = channels
        self.weights = AlignedBuffer(weights)
        self.bias = AlignedBuffer(bias ?? [Float](repeating: 0, count: channels))
        self.activation = ActivationFunction(activation, channels: channels)
    }

    func fusing(_ activation: Activation) -> (any Kernel)? {
        guard self.activation.isIdentity else { return nil }
        var fused = self
        fused.activation = ActivationFunction(activation, channels: channels)
        return fused
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let g = geometry
        let c = channels
        let w = UnsafePointer(weights.baseAddress)
        let b = UnsafePointer(bias.baseAddress)
        // Channel blocks of 8; a ragged last block is recomputed overlapping the previous one (the output is not
        // the input, so writing a channel twice is harmless).
        let lastBlock = c >= 8 ? c - 8 : -1
        var out = output
        for n in 0..<g.batch {
            let image = inputs[0] + n * g.inHeight * g.inWidth * c
            for oy in 0..<g.outHeight {
                let rows = g.kernelRows(oy)
                let iy0 = oy * g.strideY - g.padTop
                for ox in 0..<g.outWidth {
                    let cols = g.kernelCols(ox)
                    let ix0 = ox * g.strideX - g.padLeft
                    let origin = image + (iy0 * g.inWidth + ix0) * c
                    if lastBlock >= 0 {
                        var cb = 0
                        while true {
                            if cb > lastBlock { cb = lastBlock }
                            var acc = SIMD8<Float>.load(b + cb)
                            for ky in rows {
                                let src = origin + ky * g.inWidth * c + cb
                                let wk = w + ky * g.kernelWidth * c + cb
                                for kx in cols {
                                    acc = acc.addingProduct(SIMD8<Float>.load(src + kx * c), SIMD8<Float>.load(wk + kx * c))
                                }
                            }
                            activation(acc, channel: cb).store(to: out + cb)
                            if cb == lastBlock { break }
                            cb += 8
                        }
                    } else {
                        for ch in 0..<c {
                            var acc = b[ch]
                            for ky in rows {
                                for kx in cols {
                                    acc += origin[(ky * g.inWidth + kx) * c + ch] * w[(ky * g.kernelWidth + kx) * c + ch]
                                }
                            }
                            out[ch] = activation(acc, channel: ch)
                        }
                    }
                    out += c
                }
            }
        }
    }
}
