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
    /// A row of zeros standing in for input rows above/below the image in the row sweeps (read-only).
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

    /// Whether row sweeps (``outputRow(window:into:activation:)``) run this layer; the per-pixel path is left for
    /// fewer than 8 channels.
    static func hasFastPath(_ g: WindowGeometry, _ channels: Int) -> Bool {
        channels >= 8
    }

    var label: String { "DepthwiseConv2D \(geometry.label) c\(channels)" + activation.applier.label }

    var outputChannels: Int { channels }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let activation = self.activation.applier
        let g = geometry
        let c = channels
        let w = UnsafePointer(weights.baseAddress)
        let b = UnsafePointer(bias.baseAddress)
        if let zeroRow {
            let zero = UnsafePointer(zeroRow.baseAddress)
            let rowFloats = g.inWidth * c
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: g.kernelHeight) { window in
                for n in 0..<g.batch {
                    let image = inputs[0] + n * g.inHeight * rowFloats
                    for oy in 0..<g.outHeight {
                        let iy0 = oy * g.strideY - g.padTop
                        for ky in 0..<g.kernelHeight {
                            let iy = iy0 + ky
                            window[ky] = iy >= 0 && iy < g.inHeight ? image + iy * rowFloats : zero
                        }
                        outputRow(window: UnsafePointer(window.baseAddress!),
                                  into: output + (n * g.outHeight + oy) * g.outWidth * c, activation: activation)
                    }
                }
            }
            return
        }
        // Fewer than 8 channels: one channel at a time.
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
                    for ch in 0..<c {
                        var acc = b[ch]
                        for ky in rows {
                            for kx in cols {
                                acc += origin[(ky * g.inWidth + kx) * c + ch] * w[(ky * g.kernelWidth + kx) * c + ch]
                            }
                        }
                        out[ch] = activation(acc, channel: ch)
                    }
                    out += c
                }
            }
        }
    }

    /// One output row from the `kernelHeight` input rows of its window (``zeroRow`` for rows outside the image),
    /// activation applied while the row is in L1. ``ExpandedDepthwiseConv2D`` calls this with rows it just made.
    ///
    /// 3×3: per channel block the nine weight vectors stay in registers while the row is swept. Other sizes (the
    /// palm detector's 5×5 layers): four neighbouring outputs whose windows lie inside the row are computed together,
    /// each weight vector loaded once for four independent FMA chains (one long chain per output would wait on FMA
    /// latency), every channel block while their inputs are in L1. Only the border columns take the bounds-checked
    /// path.
    @inline(__always)
    func outputRow(window: UnsafePointer<UnsafePointer<Float>>, into outRow: UnsafeMutablePointer<Float>,
                   activation: ActivationApplier) {
        let g = geometry
        if g.kernelHeight == 3 && g.kernelWidth == 3 {
            let rows = (window[0], window[1], window[2])
            forEachChannelBlock(
                sixteen: { sweep3x3(SIMD16<Float>.self, channel: $0, rows: rows, into: outRow) },
                eight: { sweep3x3(SIMD8<Float>.self, channel: $0, rows: rows, into: outRow) })
        } else {
            let firstInterior = min((g.padLeft + g.strideX - 1) / g.strideX, g.outWidth)
            let interiorEnd = max(firstInterior, min((g.inWidth - g.kernelWidth + g.padLeft) / g.strideX + 1, g.outWidth))
            func edge(_ ox: Int) {
                forEachChannelBlock(sixteen: { border(SIMD16<Float>.self, $0, ox, window, outRow) },
                                    eight: { border(SIMD8<Float>.self, $0, ox, window, outRow) })
            }
            for ox in 0..<firstInterior { edge(ox) }
            var ox = firstInterior
            while ox + 4 <= interiorEnd {
                forEachChannelBlock(sixteen: { four(SIMD16<Float>.self, $0, ox, window, outRow) },
                                    eight: { four(SIMD8<Float>.self, $0, ox, window, outRow) })
                ox += 4
            }
            for ox in ox..<g.outWidth { edge(ox) }
        }
        activation.apply(to: outRow, pixels: g.outWidth, channels: channels)
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

    /// Calls `sixteen(channel)` for each 16-lane channel block where the CPU has AVX-512, then `eight(channel)` for
    /// 8-lane ones; a ragged last block overlaps the previous one (recomputing a channel is harmless).
    @inline(__always)
    private func forEachChannelBlock(sixteen: (Int) -> Void, eight: (Int) -> Void) {
        var cb = 0
        #if FACELIVE_AVX512
        while cb + 16 <= channels { sixteen(cb); cb += 16 }
        #endif
        while cb < channels {
            let block = min(cb, channels - 8)
            eight(block)
            cb = block + 8
        }
    }

    /// Outputs `ox ..< ox + 4`, channels `cb ..< cb + V.scalarCount`; their windows lie inside the row.
    @inline(__always)
    private func four<V: SIMD>(_: V.Type, _ cb: Int, _ ox: Int, _ rows: UnsafePointer<UnsafePointer<Float>>,
                               _ outRow: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        let g = geometry
        let c = channels
        let step = g.strideX * c
        let w = UnsafePointer(weights.baseAddress) + cb
        let bv = V.load(bias.baseAddress + cb)
        var a0 = bv, a1 = bv, a2 = bv, a3 = bv
        let start = (ox * g.strideX - g.padLeft) * c + cb
        for ky in 0..<g.kernelHeight {
            var src = rows[ky] + start
            var wk = w + ky * g.kernelWidth * c
            for _ in 0..<g.kernelWidth {
                let wv = V.load(wk)
                a0 = a0.addingProduct(V.load(src), wv)
                a1 = a1.addingProduct(V.load(src + step), wv)
                a2 = a2.addingProduct(V.load(src + 2 * step), wv)
                a3 = a3.addingProduct(V.load(src + 3 * step), wv)
                src += c
                wk += c
            }
        }
        let out = outRow + ox * c + cb
        a0.store(to: out); a1.store(to: out + c); a2.store(to: out + 2 * c); a3.store(to: out + 3 * c)
    }

    /// One output whose window may hang over the row's ends (columns outside the image are skipped), or one left
    /// over after the blocks of four. Even and odd kernel rows go to separate FMA chains.
    @inline(__always)
    private func border<V: SIMD>(_: V.Type, _ cb: Int, _ ox: Int, _ rows: UnsafePointer<UnsafePointer<Float>>,
                                 _ outRow: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        let g = geometry
        let c = channels
        let w = UnsafePointer(weights.baseAddress) + cb
        let ix0 = ox * g.strideX - g.padLeft
        let cols = max(0, -ix0)..<min(g.kernelWidth, g.inWidth - ix0)
        var even = V.load(bias.baseAddress + cb), odd = V()
        var ky = 0
        while ky < g.kernelHeight {
            let src = rows[ky] + ix0 * c + cb, wk = w + ky * g.kernelWidth * c
            if ky + 1 < g.kernelHeight {
                let src1 = rows[ky + 1] + ix0 * c + cb, wk1 = wk + g.kernelWidth * c
                for kx in cols {
                    even = even.addingProduct(V.load(src + kx * c), V.load(wk + kx * c))
                    odd = odd.addingProduct(V.load(src1 + kx * c), V.load(wk1 + kx * c))
                }
            } else {
                for kx in cols { even = even.addingProduct(V.load(src + kx * c), V.load(wk + kx * c)) }
            }
            ky += 2
        }
        (even + odd).store(to: outRow + ox * c + cb)
    }
}
