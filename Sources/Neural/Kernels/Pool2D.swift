/// Max or average pooling over an NHWC input (TFLite semantics: the average counts only in-bounds elements).
struct Pool2D: ActivationFusing {
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

    var outputChannels: Int { channels }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let activation = self.activation.applier
        let g = geometry
        let c = channels
        let isMax = mode == .max
        if isMax && g.kernelHeight == 2 && g.kernelWidth == 2 && g.strideX == 2 && g.strideY == 2 && c >= 8
            && g.padTop == 0 && g.padLeft == 0 && 2 * g.outHeight <= g.inHeight && 2 * g.outWidth <= g.inWidth {
            maxPool2x2(inputs[0], output, activation)
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
                    let scale = 1 / Float(max(1, rows.count * cols.count))
                    var ch = 0
                    while ch < c {
                        if ch + 8 <= c {
                            var acc = SIMD8<Float>(repeating: isMax ? -.infinity : 0)
                            for ky in rows {
                                for kx in cols {
                                    let v = SIMD8<Float>.load(origin + (ky * g.inWidth + kx) * c + ch)
                                    acc = isMax ? acc.replacing(with: v, where: v .> acc) : acc + v
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

    /// The 2×2 stride-2 max pool of BlazeFace and FaceMesh shortcuts: four loads and three max per vector.
    private func maxPool2x2(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, _ activation: ActivationApplier) {
        let g = geometry
        let c = channels
        for n in 0..<g.batch {
            for oy in 0..<g.outHeight {
                let top = input + ((n * g.inHeight + 2 * oy) * g.inWidth) * c
                let bottom = top + g.inWidth * c
                let out = output + ((n * g.outHeight + oy) * g.outWidth) * c
                for ox in 0..<g.outWidth {
                    var cb = 0
                    while true {
                        if cb > c - 8 { cb = c - 8 }
                        let o = 2 * ox * c + cb
                        let a = SIMD8<Float>.load(top + o), b = SIMD8<Float>.load(top + o + c)
                        let d = SIMD8<Float>.load(bottom + o), e = SIMD8<Float>.load(bottom + o + c)
                        let ab = a.replacing(with: b, where: b .> a), de = d.replacing(with: e, where: e .> d)
                        activation(ab.replacing(with: de, where: de .> ab), channel: cb).store(to: out + ox * c + cb)
                        if cb == c - 8 { break }
                        cb += 8
                    }
                }
            }
        }
    }
}
