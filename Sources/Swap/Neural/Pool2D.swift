/// Max or average pooling over an NHWC input (TFLite semantics: the average counts only in-bounds elements).
struct Pool2D: Kernel {
    enum Mode: Sendable { case max, average }

    let mode: Mode
    let geometry: WindowGeometry
    let channels: Int
    var activation: ActivationFunction

    init(mode: Mode, geometry: WindowGeometry, channels: Int, activation: Activation) {
        self.mode = mode
        self.geometry = geometry
        self.channels = channels
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
        let isMax = mode == .max
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
                    let scale = 1 / Float(max(1, rows.count * cols.count))
                    var ch = 0
                    while ch < c {
                        if ch + 8 <= c {
                            var acc = SIMD8<Float>(repeating: isMax ? -.infinity : 0)
                            for ky in rows {
                                for kx in cols {
                                    let v = SIMD8<Float>.load(origin + (ky * g.inWidth + kx) * c + ch)
                                    acc = isMax ? pointwiseMax(acc, v) : acc + v
                                }
                            }
                            activation(isMax ? acc : acc * scale, channel: ch).store(to: out + ch)
                            ch += 8
                        } else {
                            var acc: Float = isMax ? -.infinity : 0
                            for ky in rows {
                                for kx in cols {
                                    let v = origin[(ky * g.inWidth + kx) * c + ch]
                                    acc = isMax ? max(acc, v) : acc + v
                                }
                            }
                            out[ch] = activation(isMax ? acc : acc * scale, channel: ch)
                            ch += 1
                        }
                    }
                    out += c
                }
            }
        }
    }
}
