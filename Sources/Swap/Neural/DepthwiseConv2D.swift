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
    /// A row of zeros standing in for input rows above/below the image in the 3×3 fast path (read-only).
    let zeroRow: AlignedBuffer?

    init(geometry: WindowGeometry, channels: Int, weights: [Float], bias: [Float]?, activation: Activation) {
        precondition(weights.count == geometry.kernelHeight * geometry.kernelWidth * channels)
        self.geometry = geometry
        self.channels = channels
        self.weights = AlignedBuffer(weights)
        self.bias = AlignedBuffer(bias ?? [Float](repeating: 0, count: channels))
        self.activation = ActivationFunction(activation, channels: channels)
        zeroRow = Self.hasFastPath(geometry, channels) ? AlignedBuffer(count: geometry.inWidth * channels) : nil
    }

    static func hasFastPath(_ g: WindowGeometry, _ channels: Int) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && channels >= 8
    }

    func fusing(_ activation: Activation) -> (any Kernel)? {
        guard self.activation.isIdentity else { return nil }
        var fused = self
        fused.activation = ActivationFunction(activation, channels: channels)
        return fused
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let activation = self.activation.applier
        let g = geometry
        let c = channels
        let w = UnsafePointer(weights.baseAddress)
        let b = UnsafePointer(bias.baseAddress)
        // Channel blocks of 8; a ragged last block is recomputed overlapping the previous one (the output is not
        // the input, so writing a channel twice is harmless).
        let lastBlock = c >= 8 ? c - 8 : -1
        if let zeroRow {
            run3x3(input: inputs[0], output: output, zero: UnsafePointer(zeroRow.baseAddress), activation: activation)
            return
        }
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

    /// 3×3 kernel: per output row and 8-channel block, the nine weight vectors stay in registers while the row is
    /// swept; rows outside the image read `zero`, and only the border columns take the bounds-checked path.
    private func run3x3(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, zero: UnsafePointer<Float>,
                        activation: ActivationApplier) {
        let g = geometry
        let c = channels
        let w = UnsafePointer(weights.baseAddress)
        let b = UnsafePointer(bias.baseAddress)
        let sx = g.strideX
        let rowFloats = g.inWidth * c
        // Output columns whose window lies fully inside the row.
        let firstInterior = (g.padLeft + sx - 1) / sx
        let lastInterior = (g.inWidth - 3 + g.padLeft) / sx  // inclusive
        for n in 0..<g.batch {
            let image = input + n * g.inHeight * rowFloats
            for oy in 0..<g.outHeight {
                let iy0 = oy * g.strideY - g.padTop
                func row(_ dy: Int) -> UnsafePointer<Float> {
                    let iy = iy0 + dy
                    return iy >= 0 && iy < g.inHeight ? image + iy * rowFloats : zero
                }
                let r0 = row(0), r1 = row(1), r2 = row(2)
                let outRow = output + (n * g.outHeight + oy) * g.outWidth * c
                var cb = 0
                while true {
                    if cb > c - 8 { cb = c - 8 }
                    let w00 = SIMD8<Float>.load(w + cb), w01 = SIMD8<Float>.load(w + c + cb), w02 = SIMD8<Float>.load(w + 2 * c + cb)
                    let w10 = SIMD8<Float>.load(w + 3 * c + cb), w11 = SIMD8<Float>.load(w + 4 * c + cb), w12 = SIMD8<Float>.load(w + 5 * c + cb)
                    let w20 = SIMD8<Float>.load(w + 6 * c + cb), w21 = SIMD8<Float>.load(w + 7 * c + cb), w22 = SIMD8<Float>.load(w + 8 * c + cb)
                    let bv = SIMD8<Float>.load(b + cb)
                    for ox in 0..<g.outWidth {
                        let ix0 = ox * sx - g.padLeft
                        var acc = bv
                        if ox >= firstInterior && ox <= lastInterior {
                            let o = ix0 * c + cb
                            acc = acc.addingProduct(SIMD8<Float>.load(r0 + o), w00)
                            acc = acc.addingProduct(SIMD8<Float>.load(r0 + o + c), w01)
                            acc = acc.addingProduct(SIMD8<Float>.load(r0 + o + 2 * c), w02)
                            acc = acc.addingProduct(SIMD8<Float>.load(r1 + o), w10)
                            acc = acc.addingProduct(SIMD8<Float>.load(r1 + o + c), w11)
                            acc = acc.addingProduct(SIMD8<Float>.load(r1 + o + 2 * c), w12)
                            acc = acc.addingProduct(SIMD8<Float>.load(r2 + o), w20)
                            acc = acc.addingProduct(SIMD8<Float>.load(r2 + o + c), w21)
                            acc = acc.addingProduct(SIMD8<Float>.load(r2 + o + 2 * c), w22)
                        } else {
                            for kx in 0..<3 where ix0 + kx >= 0 && ix0 + kx < g.inWidth {
                                let o = (ix0 + kx) * c + cb
                                acc = acc.addingProduct(SIMD8<Float>.load(r0 + o), SIMD8<Float>.load(w + kx * c + cb))
                                acc = acc.addingProduct(SIMD8<Float>.load(r1 + o), SIMD8<Float>.load(w + (3 + kx) * c + cb))
                                acc = acc.addingProduct(SIMD8<Float>.load(r2 + o), SIMD8<Float>.load(w + (6 + kx) * c + cb))
                            }
                        }
                        activation(acc, channel: cb).store(to: outRow + ox * c + cb)
                    }
                    if cb == c - 8 { break }
                    cb += 8
                }
            }
        }
    }
}
