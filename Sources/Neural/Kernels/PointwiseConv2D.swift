/// 1×1 convolutions with few input channels and 64 or 96 outputs — the expansions of MobileNetV2 blocks at high
/// resolution (the hand landmark network's 16→64 at 112² and 16→96 at 56²), where ``PackedGEMM``'s tiles of two or
/// three vectors per row do little work per broadcast and per call (k = 16 FMAs each): 37 GMAC/s against 50 for
/// its wider-k layers.
///
/// Here one tile covers the whole output width: 6 rows × 4 vectors (64 columns) or 4 rows × 6 vectors (96), 24
/// accumulators, so each broadcast input value feeds 4–6 FMAs; ReLU/ReLU6 are applied in registers before the single
/// store. Reads ``Conv2D``'s packed weights as they are (``GEMMPanels`` layout), so weights a trainer repacks are used
/// as they change. Same arithmetic per output as ``PackedGEMM`` (bias, then one FMA per input channel in order).
/// AVX-512 only (16-lane vectors; with 8 lanes these widths do not fit the 16 registers).
struct NarrowPointwise {
    let m: Int, n: Int, k: Int
    let a: UnsafePointer<Float>
    /// `k × n` weights in ``GEMMPanels`` layout (`n` is a multiple of 16, so no padded columns).
    let b: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let activation: ActivationApplier
    let c: UnsafeMutablePointer<Float>

    /// Whether a `k`-input, `n`-output 1×1 conv runs here.
    static func handles(k: Int, n: Int) -> Bool {
        #if FACELIVE_AVX512
        k <= 32 && (n == 64 || n == 96)
        #else
        false
        #endif
    }

    typealias V = SIMD16<Float>

    func run() {
        // Where each 16-column vector of row i of B lies: its panel's start plus i × the panel's width.
        var starts: [UnsafePointer<Float>] = [], widths: [Int] = []
        GEMMPanels.forEach(nPadded: n) { col, shape in
            var j = 0
            while j < shape.width { starts.append(b + col * k + j); widths.append(shape.width); j += 16 }
        }
        let inRegister = activation.kind == .identity || activation.kind == .relu || activation.kind == .relu6
        let block = n == 64 ? 6 : 4
        var row = 0
        while row + block <= m {
            if n == 64 { tile6x4(row, starts, widths) } else { tile4x6(row, starts, widths) }
            if !inRegister { activation.apply(to: c + row * n, pixels: block, channels: n) }
            row += block
        }
        while row < m {
            for j in starts.indices { single(row, j, starts[j], widths[j]) }
            if !inRegister { activation.apply(to: c + row * n, pixels: 1, channels: n) }
            row += 1
        }
    }

    /// ReLU and ReLU6 in registers (``run()`` applies any other activation after the store).
    @inline(__always)
    private func store(_ v: V, _ row: Int, _ col: Int) {
        var y = v
        switch activation.kind {
        case .relu: y = y.replacing(with: 0, where: y .< 0)
        case .relu6:
            y = y.replacing(with: 0, where: y .< 0)
            y = y.replacing(with: 6, where: y .> 6)
        default: break
        }
        y.store(to: c + row * n + col)
    }

    @inline(__always)
    private func tile6x4(_ row: Int, _ starts: [UnsafePointer<Float>], _ widths: [Int]) {
        let (p0, p1, p2, p3) = (starts[0], starts[1], starts[2], starts[3])
        let (s0, s1, s2, s3) = (widths[0], widths[1], widths[2], widths[3])
        let bias0 = V.load(bias), bias1 = V.load(bias + 16), bias2 = V.load(bias + 32), bias3 = V.load(bias + 48)
        var c00 = bias0, c01 = bias1, c02 = bias2, c03 = bias3, c10 = bias0, c11 = bias1, c12 = bias2, c13 = bias3
        var c20 = bias0, c21 = bias1, c22 = bias2, c23 = bias3, c30 = bias0, c31 = bias1, c32 = bias2, c33 = bias3
        var c40 = bias0, c41 = bias1, c42 = bias2, c43 = bias3, c50 = bias0, c51 = bias1, c52 = bias2, c53 = bias3
        let a0 = a + row * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k, a4 = a3 + k, a5 = a4 + k
        for i in 0..<k {
            let b0 = V.load(p0 + i * s0), b1 = V.load(p1 + i * s1), b2 = V.load(p2 + i * s2), b3 = V.load(p3 + i * s3)
            var x = V(repeating: a0[i])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1); c02 = c02.addingProduct(x, b2); c03 = c03.addingProduct(x, b3)
            x = V(repeating: a1[i])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1); c12 = c12.addingProduct(x, b2); c13 = c13.addingProduct(x, b3)
            x = V(repeating: a2[i])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1); c22 = c22.addingProduct(x, b2); c23 = c23.addingProduct(x, b3)
            x = V(repeating: a3[i])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1); c32 = c32.addingProduct(x, b2); c33 = c33.addingProduct(x, b3)
            x = V(repeating: a4[i])
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1); c42 = c42.addingProduct(x, b2); c43 = c43.addingProduct(x, b3)
            x = V(repeating: a5[i])
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1); c52 = c52.addingProduct(x, b2); c53 = c53.addingProduct(x, b3)
        }
        store(c00, row, 0); store(c01, row, 16); store(c02, row, 32); store(c03, row, 48)
        store(c10, row + 1, 0); store(c11, row + 1, 16); store(c12, row + 1, 32); store(c13, row + 1, 48)
        store(c20, row + 2, 0); store(c21, row + 2, 16); store(c22, row + 2, 32); store(c23, row + 2, 48)
        store(c30, row + 3, 0); store(c31, row + 3, 16); store(c32, row + 3, 32); store(c33, row + 3, 48)
        store(c40, row + 4, 0); store(c41, row + 4, 16); store(c42, row + 4, 32); store(c43, row + 4, 48)
        store(c50, row + 5, 0); store(c51, row + 5, 16); store(c52, row + 5, 32); store(c53, row + 5, 48)
    }

    @inline(__always)
    private func tile4x6(_ row: Int, _ starts: [UnsafePointer<Float>], _ widths: [Int]) {
        let (p0, p1, p2, p3, p4, p5) = (starts[0], starts[1], starts[2], starts[3], starts[4], starts[5])
        let (s0, s1, s2, s3, s4, s5) = (widths[0], widths[1], widths[2], widths[3], widths[4], widths[5])
        let bias0 = V.load(bias), bias1 = V.load(bias + 16), bias2 = V.load(bias + 32)
        let bias3 = V.load(bias + 48), bias4 = V.load(bias + 64), bias5 = V.load(bias + 80)
        var c00 = bias0, c01 = bias1, c02 = bias2, c03 = bias3, c04 = bias4, c05 = bias5
        var c10 = bias0, c11 = bias1, c12 = bias2, c13 = bias3, c14 = bias4, c15 = bias5
        var c20 = bias0, c21 = bias1, c22 = bias2, c23 = bias3, c24 = bias4, c25 = bias5
        var c30 = bias0, c31 = bias1, c32 = bias2, c33 = bias3, c34 = bias4, c35 = bias5
        let a0 = a + row * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        for i in 0..<k {
            let b0 = V.load(p0 + i * s0), b1 = V.load(p1 + i * s1), b2 = V.load(p2 + i * s2)
            let b3 = V.load(p3 + i * s3), b4 = V.load(p4 + i * s4), b5 = V.load(p5 + i * s5)
            var x = V(repeating: a0[i])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1); c02 = c02.addingProduct(x, b2)
            c03 = c03.addingProduct(x, b3); c04 = c04.addingProduct(x, b4); c05 = c05.addingProduct(x, b5)
            x = V(repeating: a1[i])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1); c12 = c12.addingProduct(x, b2)
            c13 = c13.addingProduct(x, b3); c14 = c14.addingProduct(x, b4); c15 = c15.addingProduct(x, b5)
            x = V(repeating: a2[i])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1); c22 = c22.addingProduct(x, b2)
            c23 = c23.addingProduct(x, b3); c24 = c24.addingProduct(x, b4); c25 = c25.addingProduct(x, b5)
            x = V(repeating: a3[i])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1); c32 = c32.addingProduct(x, b2)
            c33 = c33.addingProduct(x, b3); c34 = c34.addingProduct(x, b4); c35 = c35.addingProduct(x, b5)
        }
        store(c00, row, 0); store(c01, row, 16); store(c02, row, 32); store(c03, row, 48); store(c04, row, 64); store(c05, row, 80)
        store(c10, row + 1, 0); store(c11, row + 1, 16); store(c12, row + 1, 32)
        store(c13, row + 1, 48); store(c14, row + 1, 64); store(c15, row + 1, 80)
        store(c20, row + 2, 0); store(c21, row + 2, 16); store(c22, row + 2, 32)
        store(c23, row + 2, 48); store(c24, row + 2, 64); store(c25, row + 2, 80)
        store(c30, row + 3, 0); store(c31, row + 3, 16); store(c32, row + 3, 32)
        store(c33, row + 3, 48); store(c34, row + 3, 64); store(c35, row + 3, 80)
    }

    /// One row, one vector (the rows left after the tiles).
    @inline(__always)
    private func single(_ row: Int, _ j: Int, _ start: UnsafePointer<Float>, _ width: Int) {
        var acc = V.load(bias + 16 * j)
        let a0 = a + row * k
        for i in 0..<k { acc = acc.addingProduct(V(repeating: a0[i]), V.load(start + i * width)) }
        store(acc, row, 16 * j)
    }
}

extension Conv2D {
    /// `pixels` output pixels of this 1×1 conv (no residual, not on BLAS) from `input`: on ``NarrowPointwise`` when
    /// it takes the shape, else ``PackedGEMM``.
    func runPointwise(_ input: UnsafePointer<Float>, pixels: Int, output: UnsafeMutablePointer<Float>) {
        if NarrowPointwise.handles(k: inChannels, n: outChannels) {
            NarrowPointwise(m: pixels, n: outChannels, k: inChannels, a: input, b: weights.baseAddress,
                            bias: bias.baseAddress, activation: activation.applier, c: output).run()
        } else {
            PackedGEMM(m: pixels, n: outChannels, k: inChannels, a: DenseRows(base: input, stride: inChannels),
                       b: weights.baseAddress, nPadded: packedColumns, bias: bias.baseAddress,
                       residual: nil, residualChannels: 0, activation: activation.applier, c: output).run()
        }
    }
}
