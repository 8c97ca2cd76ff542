/// Depthwise 2-D convolution (channel multiplier 1), NHWC, vectorised across channels with FMA.
///
/// Load-bound rather than compute-bound, so it stays in Swift SIMD rather than BLAS: one pass over the input with
/// the bias in the accumulators; the activation follows on each output row while it is still in L1.
struct DepthwiseConv2D: ActivationFusing {
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

    var label: String { "DepthwiseConv2D \(geometry.label) c\(channels)" }

    var outputChannels: Int { channels }

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

    /// 3×3 kernel: per output row and channel block, the nine weight vectors stay in registers while the row is
    /// swept; rows outside the image read `zero`, and only the border columns take the bounds-checked path.
    private func run3x3(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, zero: UnsafePointer<Float>,
                        activation: ActivationApplier) {
        let g = geometry
        let c = channels
        let rowFloats = g.inWidth * c
        for n in 0..<g.batch {
            let image = input + n * g.inHeight * rowFloats
            for oy in 0..<g.outHeight {
                let iy0 = oy * g.strideY - g.padTop
                func row(_ dy: Int) -> UnsafePointer<Float> {
                    let iy = iy0 + dy
                    return iy >= 0 && iy < g.inHeight ? image + iy * rowFloats : zero
                }
                let rows = (row(0), row(1), row(2))
                let outRow = output + (n * g.outHeight + oy) * g.outWidth * c
                var cb = 0
                #if FACELIVE_AVX512
                while cb + 16 <= c { sweep3x3(SIMD16<Float>.self, channel: cb, rows: rows, into: outRow); cb += 16 }
                #endif
                // 8-channel blocks; a ragged last one is recomputed overlapping the previous block.
                while cb < c {
                    let block = min(cb, c - 8)
                    sweep3x3(SIMD8<Float>.self, channel: block, rows: rows, into: outRow)
                    cb = block + 8
                }
                activation.apply(to: outRow, pixels: g.outWidth, channels: c)
            }
        }
    }

    /// One output row, channels `channel ..< channel + V.scalarCount`, from the three input rows of its window.
    @inline(__always)
    private func sweep3x3<V: SIMD>(_: V.Type, channel cb: Int, rows: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                                   into outRow: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        let g = geometry
        let c = channels
        let w = UnsafePointer(weights.baseAddress)
        let sx = g.strideX
        let (r0, r1, r2) = rows
        // Output columns whose window lies fully inside the row.
        let firstInterior = (g.padLeft + sx - 1) / sx
        let lastInterior = (g.inWidth - 3 + g.padLeft) / sx  // inclusive
        let w00 = V.load(w + cb), w01 = V.load(w + c + cb), w02 = V.load(w + 2 * c + cb)
        let w10 = V.load(w + 3 * c + cb), w11 = V.load(w + 4 * c + cb), w12 = V.load(w + 5 * c + cb)
        let w20 = V.load(w + 6 * c + cb), w21 = V.load(w + 7 * c + cb), w22 = V.load(w + 8 * c + cb)
        let bv = V.load(bias.baseAddress + cb)
        @inline(__always) func border(_ ox: Int) {
            let ix0 = ox * sx - g.padLeft
            var acc = bv
            for kx in 0..<3 where ix0 + kx >= 0 && ix0 + kx < g.inWidth {
                let o = (ix0 + kx) * c + cb
                acc = acc.addingProduct(V.load(r0 + o), V.load(w + kx * c + cb))
                acc = acc.addingProduct(V.load(r1 + o), V.load(w + (3 + kx) * c + cb))
                acc = acc.addingProduct(V.load(r2 + o), V.load(w + (6 + kx) * c + cb))
            }
            acc.store(to: outRow + ox * c + cb)
        }
        for ox in 0 ..< min(firstInterior, g.outWidth) { border(ox) }
        var ox = firstInterior
        if sx == 1 {
            // Stride 1: two outputs per step share the middle columns (12 loads for 18 FMAs).
            while ox + 1 <= lastInterior {
                let o = (ox - g.padLeft) * c + cb
                let x0 = V.load(r0 + o), x1 = V.load(r0 + o + c), x2 = V.load(r0 + o + 2 * c), x3 = V.load(r0 + o + 3 * c)
                var p = bv.addingProduct(x0, w00), q = bv.addingProduct(x1, w00)
                p = p.addingProduct(x1, w01); q = q.addingProduct(x2, w01)
                p = p.addingProduct(x2, w02); q = q.addingProduct(x3, w02)
                let y0 = V.load(r1 + o), y1 = V.load(r1 + o + c), y2 = V.load(r1 + o + 2 * c), y3 = V.load(r1 + o + 3 * c)
                p = p.addingProduct(y0, w10); q = q.addingProduct(y1, w10)
                p = p.addingProduct(y1, w11); q = q.addingProduct(y2, w11)
                p = p.addingProduct(y2, w12); q = q.addingProduct(y3, w12)
                let z0 = V.load(r2 + o), z1 = V.load(r2 + o + c), z2 = V.load(r2 + o + 2 * c), z3 = V.load(r2 + o + 3 * c)
                p = p.addingProduct(z0, w20); q = q.addingProduct(z1, w20)
                p = p.addingProduct(z1, w21); q = q.addingProduct(z2, w21)
                p = p.addingProduct(z2, w22); q = q.addingProduct(z3, w22)
                p.store(to: outRow + ox * c + cb)
                q.store(to: outRow + (ox + 1) * c + cb)
                ox += 2
            }
        }
        for ox in ox ..< max(ox, lastInterior + 1) {
            let o = (ox * sx - g.padLeft) * c + cb
            // Three independent chains (one per kernel row) instead of one 9-deep FMA chain.
            var top = bv.addingProduct(V.load(r0 + o), w00)
            var mid = V.load(r1 + o) * w10
            var low = V.load(r2 + o) * w20
            top = top.addingProduct(V.load(r0 + o + c), w01)
            mid = mid.addingProduct(V.load(r1 + o + c), w11)
            low = low.addingProduct(V.load(r2 + o + c), w21)
            top = top.addingProduct(V.load(r0 + o + 2 * c), w02)
            mid = mid.addingProduct(V.load(r1 + o + 2 * c), w12)
            low = low.addingProduct(V.load(r2 + o + 2 * c), w22)
            (top + mid + low).store(to: outRow + ox * c + cb)
        }
        for ox in max(lastInterior + 1, firstInterior) ..< g.outWidth { border(ox) }
    }
}
