/// 2-D convolution, NHWC input, weights given OHWI, via GEMM: `out[P×Cout] = patches[P×K] · W[K×Cout]`.
///
/// A 1×1 stride-1 conv multiplies the input directly; anything else first gathers patches (im2col) into scratch.
struct Conv2D: Kernel {
    let geometry: WindowGeometry
    let inChannels: Int
    let outChannels: Int
    /// Weights repacked to `[K × Cout]`, `K = kh·kw·Cin` in (ky, kx, ci) order — the im2col column order.
    let weights: AlignedBuffer
    var epilogue: Epilogue

    /// `weights` in TFLite's OHWI layout `[Cout][kh][kw][Cin]`.
    init(geometry: WindowGeometry, inChannels: Int, outChannels: Int, weights: [Float], bias: [Float]?, activation: Activation) {
        self.geometry = geometry
        self.inChannels = inChannels
        self.outChannels = outChannels
        let k = geometry.kernelHeight * geometry.kernelWidth * inChannels
        precondition(weights.count == k * outChannels)
        let packed = AlignedBuffer(count: k * outChannels)
        for o in 0..<outChannels {
            for i in 0..<k { packed.baseAddress[i * outChannels + o] = weights[o * k + i] }
        }
        self.weights = packed
        epilogue = Epilogue(channels: outChannels, bias: bias, activation: activation)
    }

    var patchSize: Int { geometry.kernelHeight * geometry.kernelWidth * inChannels }

    var isPointwise: Bool {
        geometry.kernelHeight == 1 && geometry.kernelWidth == 1 && geometry.strideX == 1 && geometry.strideY == 1
    }

    var scratchCount: Int { isPointwise ? 0 : geometry.batch * geometry.outHeight * geometry.outWidth * patchSize }

    func fusing(_ activation: Activation) -> (any Kernel)? {
        guard epilogue.activation.isIdentity else { return nil }
        var fused = self
        fused.epilogue.activation = ActivationFunction(activation, channels: outChannels)
        return fused
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let g = geometry
        let pixels = g.batch * g.outHeight * g.outWidth
        let a: UnsafePointer<Float>
        if isPointwise {
            a = inputs[0]
        } else {
            im2col(inputs[0], into: scratch)
            a = UnsafePointer(scratch)
        }
        BLAS.sgemm(m: pixels, n: outChannels, k: patchSize, a: a, lda: patchSize,
                   b: weights.baseAddress, ldb: outChannels, c: output, ldc: outChannels)
        epilogue.apply(output, pixels: pixels)
    }

    /// Gathers each output pixel's receptive field into one row; zero where the window hangs over the border.
    /// In NHWC a run of valid kernel columns is one contiguous span, so each (pixel, kernel row) is one copy.
    private func im2col(_ input: UnsafePointer<Float>, into patches: UnsafeMutablePointer<Float>) {
        let g = geometry
        let cin = inChannels
        let rowSpan = g.kernelWidth * cin
        var dst = patches
        for n in 0..<g.batch {
            let image = input + n * g.inHeight * g.inWidth * cin
            for oy in 0..<g.outHeight {
                let iy0 = oy * g.strideY - g.padTop
                for ox in 0..<g.outWidth {
                    let ix0 = ox * g.strideX - g.padLeft
                    let cols = g.kernelCols(ox)
                    for ky in 0..<g.kernelHeight {
                        let iy = iy0 + ky
                        if iy < 0 || iy >= g.inHeight || cols.isEmpty {
                            dst.update(repeating: 0, count: rowSpan)
                        } else {
                            if cols.lowerBound > 0 { dst.update(repeating: 0, count: cols.lowerBound * cin) }
                            dst.advanced(by: cols.lowerBound * cin).update(
                                from: image + (iy * g.inWidth + ix0 + cols.lowerBound) * cin, count: cols.count * cin)
                            let tail = g.kernelWidth - cols.upperBound
                            if tail > 0 { dst.advanced(by: cols.upperBound * cin).update(repeating: 0, count: tail * cin) }
                        }
                        dst += rowSpan
                    }
                }
            }
        }
    }
}
