import CBFloat16
import Neural

/// The weight gradient of a convolution or dense layer, `dW[K × Cout] += Aᵀ · dZ` with `A` the `[P × K]` patches
/// (or inputs) and `dZ` the `[P × Cout]` output gradient: a register-blocked 16-lane kernel.
///
/// The reduction runs over the pixels `P` (10⁴–10⁵), so the tiles accumulate `dWᵀ` (output channels × patch
/// elements): three vectors along a contiguous patch row times six broadcast output-gradient values, 18 zmm
/// accumulators. Pixels go in blocks whose gradient columns are first packed six channels to a row, so every
/// broadcast is sequential; each thread reduces its share of the pixels into its own `dWᵀ`, and the shares are
/// summed and transposed into `dW` at the end. OpenBLAS's `sgemm` with `A` transposed ran at about half the speed.
///
/// `bfloat16`: the same tiles on `vdpbf16ps` (bf16 products, fp32 sums, twice the products per instruction). The
/// reduction runs over pixels, so each step takes a pixel pair: the block's gradient is rounded into pixel pairs,
/// and each 48-column tile of patches is rounded and interleaved into pixel pairs once before the channel tiles
/// sweep it. Only with ``supportsBFloat16``.
enum WeightGradientGEMM {
    static let tileRows = 6
    static let pixelBlock = 256

    /// Whether this CPU runs the bf16 tiles (AVX512_BF16).
    static let supportsBFloat16 = facelive_has_avx512_bf16() != 0

    /// Scratch floats for `threads` threads (either precision).
    static func scratchCount(k: Int, outChannels: Int, threads: Int) -> Int {
        threads * perThreadScratch(columns: (k + 15) / 16 * 16, rows: paddedRows(outChannels))
    }

    /// dWᵀ (`rows × columns`), the packed gradient block (bf16: pixel pairs of `rows` rounded up to 16 channels), and
    /// (bf16) one column tile of pixel-paired patches, 48 bf16 pairs a pair.
    private static func perThreadScratch(columns: Int, rows: Int) -> Int {
        rows * columns + pixelBlock * (rows + 16) + pixelBlock * 48
    }

    static func paddedRows(_ outChannels: Int) -> Int { (outChannels + tileRows - 1) / tileRows * tileRows }

    /// Where the `[P × K]` left operand comes from.
    enum Patches {
        /// Row-major fp32 rows `lda` apart.
        case rows(UnsafePointer<Float>, lda: Int)
        /// Already rounded, read in place from a bf16 convolution's input (bf16 tiles only).
        case gathered(GatheredBFloat16Patches)
    }

    /// `dw[k][co] += Σ_p a[p·lda + k] · dz[p·cout + co]`.
    static func accumulate(a: UnsafePointer<Float>, lda: Int, dz: UnsafePointer<Float>, pixels: Int, k: Int,
                           outChannels cout: Int, into dw: UnsafeMutablePointer<Float>, threads: Int,
                           bfloat16: Bool = false, scratch: UnsafeMutablePointer<Float>) {
        accumulate(.rows(a, lda: lda), dz: dz, pixels: pixels, k: k, outChannels: cout, into: dw, threads: threads,
                   bfloat16: bfloat16, scratch: scratch)
    }

    /// `dw[k][co] += Σ_p patches[p][k] · dz[p·cout + co]`; gathered patches need `bfloat16`.
    static func accumulate(_ patches: Patches, dz: UnsafePointer<Float>, pixels: Int, k: Int,
                           outChannels cout: Int, into dw: UnsafeMutablePointer<Float>, threads: Int,
                           bfloat16: Bool = false, scratch: UnsafeMutablePointer<Float>) {
        precondition(!bfloat16 || supportsBFloat16, "bf16 weight gradients need AVX512_BF16")
        let a: UnsafePointer<Float>, lda: Int
        switch patches {
        case let .rows(rows, stride): (a, lda) = (rows, stride)
        case .gathered: precondition(bfloat16, "gathered bf16 patches need the bf16 tiles"); (a, lda) = (dz, 0)
        }
        let k16 = k - k % 16, rows = paddedRows(cout)
        // The bf16 tiles pack their patch columns, so the last partial vector is zero-padded there; fp32 reads the
        // patches in place and does the columns past k16 separately.
        let tiled = bfloat16 ? (k + 15) / 16 * 16 : k16
        let perThread = perThreadScratch(columns: (k + 15) / 16 * 16, rows: rows)
        let parts = max(1, min(threads, pixels / pixelBlock))
        let share = (pixels + parts - 1) / parts
        forEachSlice(parts, threads: threads) { t in
            let transposed = scratch + t * perThread, packed = transposed + rows * tiled
            transposed.update(repeating: 0, count: rows * tiled)
            var p0 = t * share
            let end = min(pixels, p0 + share)
            while p0 < end {
                let count = min(pixelBlock, end - p0)
                if bfloat16 {
                    accumulateBFloat16(patches, pixels: p0..<(p0 + count), dz: dz + p0 * cout, k: k,
                                       outChannels: cout, rows: rows, into: transposed, scratch: packed)
                    p0 += count
                    continue
                }
                pack(dz + p0 * cout, pixels: count, outChannels: cout, rows: rows, into: packed)
                // Column tiles outside: one tile's patch columns (pixelBlock × 48 floats) stay in L1/L2 while every
                // channel tile passes over them; the whole block of patches (up to 2.4 MB) would not.
                var col = 0
                while col < k16 {
                    let wide = col + 48 <= k16
                    for tileRow in stride(from: 0, to: rows, by: tileRows) {
                        let b = packed + tileRow * count, out = transposed + tileRow * k16 + col
                        if wide { tile6x3(a + p0 * lda + col, lda, b, count, out, k16) } else {
                            tile6x1(a + p0 * lda + col, lda, b, count, out, k16)
                        }
                    }
                    col += wide ? 48 : 16
                }
                p0 += count
            }
        }
        // Add the threads' dWᵀ into dW in thread order (fp32: columns past k16 are done below, straight into dW), the
        // threads taking halves of dW's rows; each row of dW gathers its column of dWᵀ 16 channels at a time.
        let summed = min(k, tiled), sums = min(threads, max(1, summed / 64))
        forEachSlice(sums, threads: threads) { s in
            let rows = Parallel.share(summed, s, of: sums)
            for t in 0..<parts {
                let share = UnsafePointer(scratch + t * perThread + rows.lowerBound)
                #if FACELIVE_AVX512
                facelive_add_transposed(share, tiled, rows.count, cout, dw + rows.lowerBound * cout, cout)
                #else
                for i in 0..<rows.count {
                    for co in 0..<cout { dw[(rows.lowerBound + i) * cout + co] += share[co * tiled + i] }
                }
                #endif
            }
        }
        if tiled < k {
            forEachSlice(min(threads, k - k16), threads: threads) { s in
                for i in stride(from: k16 + s, to: k, by: min(threads, k - k16)) {
                    for p in 0..<pixels { axpy(a[p * lda + i], dz + p * cout, dw + i * cout, count: cout) }
                }
            }
        }
    }

    /// One block of pixels (`dz` its gradient) into `transposed` (`dWᵀ`, row stride `k` rounded up to 16) on the
    /// bf16 tiles.
    private static func accumulateBFloat16(_ source: Patches, pixels block: Range<Int>, dz: UnsafePointer<Float>,
                                           k: Int, outChannels cout: Int, rows: Int,
                                           into transposed: UnsafeMutablePointer<Float>,
                                           scratch: UnsafeMutablePointer<Float>) {
        let pixels = block.count
        let pairs = (pixels + 1) / 2, tiled = (k + 15) / 16 * 16, gradientStride = (rows + 15) / 16 * 16
        let raw = UnsafeMutableRawPointer(scratch)
        let gradient = raw.bindMemory(to: UInt32.self, capacity: pairs * gradientStride)
        let patches = (raw + pairs * gradientStride * 4).bindMemory(to: UInt16.self, capacity: pairs * 96)
        // Channels past `cout` (up to the padded rows) are zero, so those dWᵀ rows stay zero and are not read.
        facelive_bf16_pack_pixel_pairs(dz, cout, pixels, cout, gradientStride,
                                       UnsafeMutableRawPointer(gradient).assumingMemoryBound(to: UInt16.self))
        func sweep(_ pack: (_ column: Int, _ width: Int) -> Void) {
            var col = 0
            while col < tiled {
                let width = min(48, tiled - col)
                pack(col, width)
                for tileRow in stride(from: 0, to: rows, by: tileRows) {
                    facelive_bf16_gradient_tile(Int32(width / 16), gradient + tileRow, gradientStride, patches, pairs,
                                                transposed + tileRow * tiled + col, tiled)
                }
                col += width
            }
        }
        switch source {
        case let .rows(a, lda):
            let a = a + block.lowerBound * lda
            sweep { col, width in facelive_bf16_pack_pixel_pairs(a + col, lda, pixels, min(width, k - col), width, patches) }
        case let .gathered(gathered):
            gathered.withRows(block) { rowStarts in
                sweep { col, width in gathered.pack(rows: rowStarts, count: pixels, column: col, width: width, into: patches) }
            }
        }
    }

    /// `packed[(r / 6) · 6·pixels + p·6 + r % 6] = dz[p][r]`, zero for `r ≥ cout`.
    @inline(__always)
    private static func pack(_ dz: UnsafePointer<Float>, pixels: Int, outChannels cout: Int, rows: Int,
                             into packed: UnsafeMutablePointer<Float>) {
        for tileRow in stride(from: 0, to: rows, by: tileRows) {
            let panel = packed + tileRow * pixels
            let valid = min(tileRows, cout - tileRow)
            for p in 0..<pixels {
                let src = dz + p * cout + tileRow, dst = panel + p * tileRows
                for r in 0..<valid { dst[r] = src[r] }
                for r in valid..<tileRows { dst[r] = 0 }
            }
        }
    }

    /// `out[r][0..<48] += Σ_p b[p][r] · a[p][0..<48]` for the six rows `r` (row stride `ldo`).
    @inline(__always)
    private static func tile6x3(_ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ pixels: Int,
                                _ out: UnsafeMutablePointer<Float>, _ ldo: Int) {
        typealias V = SIMD16<Float>
        var c00 = V(loading: out), c01 = V(loading: out + 16), c02 = V(loading: out + 32)
        var c10 = V(loading: out + ldo), c11 = V(loading: out + ldo + 16), c12 = V(loading: out + ldo + 32)
        var c20 = V(loading: out + 2 * ldo), c21 = V(loading: out + 2 * ldo + 16), c22 = V(loading: out + 2 * ldo + 32)
        var c30 = V(loading: out + 3 * ldo), c31 = V(loading: out + 3 * ldo + 16), c32 = V(loading: out + 3 * ldo + 32)
        var c40 = V(loading: out + 4 * ldo), c41 = V(loading: out + 4 * ldo + 16), c42 = V(loading: out + 4 * ldo + 32)
        var c50 = V(loading: out + 5 * ldo), c51 = V(loading: out + 5 * ldo + 16), c52 = V(loading: out + 5 * ldo + 32)
        var pa = a, pb = b
        for _ in 0..<pixels {
            let a0 = V(loading: pa), a1 = V(loading: pa + 16), a2 = V(loading: pa + 32)
            let x0 = V(repeating: pb[0])
            c00 = c00.addingProduct(x0, a0); c01 = c01.addingProduct(x0, a1); c02 = c02.addingProduct(x0, a2)
            let x1 = V(repeating: pb[1])
            c10 = c10.addingProduct(x1, a0); c11 = c11.addingProduct(x1, a1); c12 = c12.addingProduct(x1, a2)
            let x2 = V(repeating: pb[2])
            c20 = c20.addingProduct(x2, a0); c21 = c21.addingProduct(x2, a1); c22 = c22.addingProduct(x2, a2)
            let x3 = V(repeating: pb[3])
            c30 = c30.addingProduct(x3, a0); c31 = c31.addingProduct(x3, a1); c32 = c32.addingProduct(x3, a2)
            let x4 = V(repeating: pb[4])
            c40 = c40.addingProduct(x4, a0); c41 = c41.addingProduct(x4, a1); c42 = c42.addingProduct(x4, a2)
            let x5 = V(repeating: pb[5])
            c50 = c50.addingProduct(x5, a0); c51 = c51.addingProduct(x5, a1); c52 = c52.addingProduct(x5, a2)
            pa += lda
            pb += tileRows
        }
        c00.store(into: out); c01.store(into: out + 16); c02.store(into: out + 32)
        c10.store(into: out + ldo); c11.store(into: out + ldo + 16); c12.store(into: out + ldo + 32)
        c20.store(into: out + 2 * ldo); c21.store(into: out + 2 * ldo + 16); c22.store(into: out + 2 * ldo + 32)
        c30.store(into: out + 3 * ldo); c31.store(into: out + 3 * ldo + 16); c32.store(into: out + 3 * ldo + 32)
        c40.store(into: out + 4 * ldo); c41.store(into: out + 4 * ldo + 16); c42.store(into: out + 4 * ldo + 32)
        c50.store(into: out + 5 * ldo); c51.store(into: out + 5 * ldo + 16); c52.store(into: out + 5 * ldo + 32)
    }

    /// ``tile6x3`` for one vector of 16 columns.
    @inline(__always)
    private static func tile6x1(_ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ pixels: Int,
                                _ out: UnsafeMutablePointer<Float>, _ ldo: Int) {
        typealias V = SIMD16<Float>
        var c0 = V(loading: out), c1 = V(loading: out + ldo), c2 = V(loading: out + 2 * ldo)
        var c3 = V(loading: out + 3 * ldo), c4 = V(loading: out + 4 * ldo), c5 = V(loading: out + 5 * ldo)
        var pa = a, pb = b
        for _ in 0..<pixels {
            let a0 = V(loading: pa)
            c0 = c0.addingProduct(V(repeating: pb[0]), a0)
            c1 = c1.addingProduct(V(repeating: pb[1]), a0)
            c2 = c2.addingProduct(V(repeating: pb[2]), a0)
            c3 = c3.addingProduct(V(repeating: pb[3]), a0)
            c4 = c4.addingProduct(V(repeating: pb[4]), a0)
            c5 = c5.addingProduct(V(repeating: pb[5]), a0)
            pa += lda
            pb += tileRows
        }
        c0.store(into: out); c1.store(into: out + ldo); c2.store(into: out + 2 * ldo)
        c3.store(into: out + 3 * ldo); c4.store(into: out + 4 * ldo); c5.store(into: out + 5 * ldo)
    }
}

/// `y[i] += alpha · x[i]`.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    let a = SIMD16<Float>(repeating: alpha)
    while i + 16 <= count { (SIMD16<Float>(loading: y + i)).addingProduct(a, SIMD16<Float>(loading: x + i)).store(into: y + i); i += 16 }
    while i < count { y[i] += alpha * x[i]; i += 1 }
}
