import Foundation

extension AlphaMask {
    /// Shrinks (`pixels` > 0) or grows (`pixels` < 0) the mask by a square min/max filter of radius |pixels|.
    /// Outside the mask counts as zero, so erosion also pulls the mask away from the border.
    ///
    /// Small radii (the merge's few pixels) take the window's extreme directly, whole rows at a time so it
    /// vectorises; larger ones use Van Herk/Gil-Werman running windows, three comparisons per pixel and axis whatever
    /// the radius. Both give exactly the same values.
    public mutating func erode(pixels: Int) {
        guard pixels != 0 else { return }
        let r = abs(pixels)
        guard r > Self.directFilterRadius else {
            // Growing is a max filter: with the zero padding the same as the min filter of the negated mask.
            if pixels > 0 { squareFilter(radius: r, Minimum.self) } else { squareFilter(radius: r, Maximum.self) }
            return
        }
        runningWindowErode(pixels: pixels)
    }

    /// Largest radius filtered directly (cost grows with the radius; the running windows' does not).
    static let directFilterRadius = 12

    /// The square min or max filter of radius `r`, zero outside: rows into a scratch buffer, then columns back.
    private mutating func squareFilter<E: Extremum>(radius r: Int, _: E.Type) {
        let (w, h) = (width, height)
        let line = UnsafeMutablePointer<Float>.allocate(capacity: w + 2 * r)
        line.initialize(repeating: 0, count: w + 2 * r)
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: w * h)
        defer { line.deallocate(); rows.deallocate() }
        values.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!
            for y in 0..<h {
                (line + r).update(from: v + y * w, count: w)
                let out = rows + y * w
                out.initialize(from: line, count: w)
                for j in 1...(2 * r) {
                    let shifted = line + j
                    for x in 0..<w { out[x] = E.pick(out[x], shifted[x]) }
                }
            }
            for y in 0..<h {
                let out = v + y * w
                let first = max(0, y - r), last = min(h - 1, y + r)
                // A window reaching past the top or bottom also holds the zero padding.
                if last - first < 2 * r {
                    for x in 0..<w { out[x] = E.pick(0, rows[first * w + x]) }
                } else {
                    out.update(from: rows + first * w, count: w)
                }
                if last > first {
                    for j in (first + 1)...last {
                        let row = rows + j * w
                        for x in 0..<w { out[x] = E.pick(out[x], row[x]) }
                    }
                }
            }
        }
    }

    /// Van Herk/Gil-Werman erosion (`pixels` > 0) or dilation: the vertical pass works on whole rows, so it
    /// vectorises.
    mutating func runningWindowErode(pixels: Int) {
        let r = abs(pixels), k = 2 * abs(pixels) + 1
        // Growing is a min filter of the negated mask (exact: min(−a, −b) = −max(a, b); zero padding stays zero).
        if pixels < 0 { multiply(by: -1) }
        defer { if pixels < 0 { multiply(by: -1) } }
        let (w, h) = (width, height)
        // Padded length rounded up to whole windows; zero padding on both sides.
        func paddedLength(_ n: Int) -> Int { (n + 2 * r + k - 1) / k * k }
        let lineLength = max(paddedLength(w), paddedLength(h))
        let line = UnsafeMutablePointer<Float>.allocate(capacity: 3 * lineLength * max(1, w))
        defer { line.deallocate() }
        @inline(__always) func pick(_ a: Float, _ b: Float) -> Float { b < a ? b : a }
        values.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!
            // Horizontal, one row at a time: `g` prefix and `h` suffix extremes within each window-sized block.
            let n = paddedLength(w)
            let p = line, g = line + n, s = line + 2 * n
            for y in 0..<h {
                let row = v + y * w
                p.initialize(repeating: 0, count: n)
                (p + r).update(from: row, count: w)
                for b in stride(from: 0, to: n, by: k) {
                    g[b] = p[b]
                    for i in (b + 1)..<(b + k) { g[i] = pick(g[i - 1], p[i]) }
                    s[b + k - 1] = p[b + k - 1]
                    for i in stride(from: b + k - 2, through: b, by: -1) { s[i] = pick(s[i + 1], p[i]) }
                }
                for x in 0..<w { row[x] = pick(s[x], g[x + k - 1]) }
            }
            // Vertical, the same over whole rows.
            let m = paddedLength(h)
            let rows = line, prefix = line + m * w, suffix = line + 2 * m * w
            rows.initialize(repeating: 0, count: m * w)
            (rows + r * w).update(from: v, count: h * w)
            for b in stride(from: 0, to: m, by: k) {
                (prefix + b * w).update(from: rows + b * w, count: w)
                for i in (b + 1)..<(b + k) {
                    let out = prefix + i * w, prev = prefix + (i - 1) * w, cur = rows + i * w
                    for x in 0..<w { out[x] = pick(prev[x], cur[x]) }
                }
                (suffix + (b + k - 1) * w).update(from: rows + (b + k - 1) * w, count: w)
                for i in stride(from: b + k - 2, through: b, by: -1) {
                    let out = suffix + i * w, next = suffix + (i + 1) * w, cur = rows + i * w
                    for x in 0..<w { out[x] = pick(next[x], cur[x]) }
                }
            }
            for y in 0..<h {
                let out = v + y * w, a = suffix + y * w, b = prefix + (y + k - 1) * w
                for x in 0..<w { out[x] = pick(a[x], b[x]) }
            }
        }
    }

    /// Gaussian blur with standard deviation `sigma` pixels, zero outside. Up to σ = 2 an exact separable kernel
    /// (radius ⌈3σ⌉); wider, three box filters of running sums whose widths give the same variance (Kovesi's
    /// "boxes for Gauss"), which costs the same for any σ and differs from the Gaussian by under 3 % of the peak
    /// (results clamped to 0…1 unless `clamped` is false: planes of any sign and size, e.g. weighted moments).
    public mutating func gaussianBlur(sigma: Float, clamped: Bool = true) {
        guard sigma > 0.1 else { return }
        if sigma <= 2 { exactGaussianBlur(sigma: sigma) } else { boxGaussianBlur(sigma: sigma, clamped: clamped) }
    }

    /// Separable Gaussian kernel of radius ⌈3σ⌉ (cost grows with σ).
    mutating func exactGaussianBlur(sigma: Float) {
        let r = Int((3 * sigma).rounded(.up))
        var kernel = (-r...r).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        for i in kernel.indices { kernel[i] /= total }
        let (w, h) = (width, height)
        // Every value of the horizontal pass is written before it is read.
        var temp = [Float](unsafeUninitializedCapacity: w * h) { _, count in count = w * h }
        var padded = [Float](repeating: 0, count: w + 2 * r + 8)
        let taps = kernel.count
        values.withUnsafeMutableBufferPointer { v in
            temp.withUnsafeMutableBufferPointer { t in
                padded.withUnsafeMutableBufferPointer { p in
                    kernel.withUnsafeBufferPointer { k in
                        let (v, t, p, k) = (v.baseAddress!, t.baseAddress!, p.baseAddress!, k.baseAddress!)
                        // Horizontal: along the zero-padded row.
                        for y in 0..<h {
                            (p + r).update(from: v + y &* w, count: w)
                            Self.weightedSums(k, count: taps, of: p, stride: 1, into: t + y &* w, width: w)
                        }
                        // Vertical: weighted sums of the rows in reach (zero outside).
                        for y in 0..<h {
                            let j0 = max(0, r - y), j1 = min(taps, h - y + r)
                            Self.weightedSums(k + j0, count: j1 - j0, of: t + (y + j0 - r) &* w, stride: w,
                                              into: v + y &* w, width: w)
                        }
                    }
                }
            }
        }
    }

    /// `out[x] = Σⱼ weights[j] · source[j · stride + x]` for `x` in `0..<width`, each sum taken in the order of `j`.
    ///
    /// 32 outputs share each weight (four independent sums, so the additions do not wait on each other); the last
    /// group of eight overlaps the one before it (same values) rather than leave a scalar tail, as the coarse planes
    /// this blurs are a few groups wide.
    @inline(__always)
    private static func weightedSums(_ weights: UnsafePointer<Float>, count: Int, of source: UnsafePointer<Float>,
                                     stride: Int, into out: UnsafeMutablePointer<Float>, width: Int) {
        typealias V = SIMD8<Float>
        func load(_ at: Int) -> V { UnsafeRawPointer(source + at).loadUnaligned(as: V.self) }
        func store(_ value: V, _ at: Int) { UnsafeMutableRawPointer(out + at).storeBytes(of: value, as: V.self) }
        guard width >= 8 else {
            for x in 0..<width {
                var acc: Float = 0
                for j in 0..<count { acc += weights[j] * source[j &* stride &+ x] }
                out[x] = acc
            }
            return
        }
        var x = 0
        while x &+ 32 <= width {
            var (a0, a1, a2, a3) = (V.zero, V.zero, V.zero, V.zero)
            var row = x
            for j in 0..<count {
                let kj = weights[j]
                a0 += kj * load(row)
                a1 += kj * load(row &+ 8)
                a2 += kj * load(row &+ 16)
                a3 += kj * load(row &+ 24)
                row &+= stride
            }
            store(a0, x); store(a1, x &+ 8); store(a2, x &+ 16); store(a3, x &+ 24)
            x &+= 32
        }
        while x < width {
            let at = min(x, width &- 8)
            var acc = V.zero
            var row = at
            for j in 0..<count {
                acc += weights[j] * load(row)
                row &+= stride
            }
            store(acc, at)
            x = at &+ 8
        }
    }

    /// Three box passes per axis approximating a Gaussian of `sigma`.
    ///
    /// Both axes run on tiles of 16 lines held as SIMD16 vectors (16 rows transposed for the horizontal passes, 16
    /// columns as they lie for the vertical ones): each running sum advances 16 lines per step, and the three passes
    /// ping-pong between two small buffers instead of copying the mask.
    mutating func boxGaussianBlur(sigma: Float, clamped: Bool = true) {
        let radii = Self.boxRadii(sigma: sigma)
        let (w, h) = (width, height)
        let pad = radii.max()!
        let lanes = 16
        let length = max(w, h) + 2 * pad
        // Two tiles of `length` vectors; what lies past a line's end must read as zero.
        let tiles = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: 2 * length)
        defer { tiles.deallocate() }
        values.withUnsafeMutableBufferPointer { buffer in
            let v = buffer.baseAddress!
            // Horizontal: 16 rows at a time, transposed into the tile (lane k = row y0 + k).
            tiles.initialize(repeating: .zero, count: 2 * length)
            let tileIn = UnsafeMutableRawPointer(tiles + pad).assumingMemoryBound(to: Float.self)
            for y0 in stride(from: 0, to: h, by: lanes) {
                let n = min(lanes, h - y0)
                if n < lanes { (tiles + pad).update(repeating: .zero, count: w) }
                // Wrapping index arithmetic (it cannot overflow): its overflow checks doubled these copies' cost.
                for k in 0..<n {
                    let row = v + (y0 + k) * w
                    for x in 0..<w { tileIn[x &* lanes &+ k] = row[x] }
                }
                let tileOut = UnsafeRawPointer(Self.boxPasses(tiles, count: w, pad: pad, length: length, radii: radii) + pad)
                    .assumingMemoryBound(to: Float.self)
                for k in 0..<n {
                    let row = v + (y0 + k) * w
                    for x in 0..<w { row[x] = tileOut[x &* lanes &+ k] }
                }
            }
            // Vertical: 16 columns at a time, one vector per row.
            tiles.update(repeating: .zero, count: 2 * length)
            for x0 in stride(from: 0, to: w, by: lanes) {
                let n = min(lanes, w - x0)
                for y in 0..<h {
                    if n == lanes {
                        tiles[pad + y] = UnsafeRawPointer(v + y * w + x0).loadUnaligned(as: SIMD16<Float>.self)
                    } else {
                        var s = SIMD16<Float>.zero
                        for k in 0..<n { s[k] = v[y * w + x0 + k] }
                        tiles[pad + y] = s
                    }
                }
                let out = Self.boxPasses(tiles, count: h, pad: pad, length: length, radii: radii) + pad
                for y in 0..<h {
                    if n == lanes {
                        UnsafeMutableRawPointer(v + y * w + x0).storeBytes(of: out[y], as: SIMD16<Float>.self)
                    } else {
                        for k in 0..<n { v[y * w + x0 + k] = out[y][k] }
                    }
                }
            }
            // Running sums drift by a few ulps; keep a blurred 0…1 mask within 0…1.
            if clamped {
                for i in 0..<(w * h) { v[i] = Swift.min(Swift.max(v[i], 0), 1) }
            }
        }
    }

    /// Box radii of three passes whose variances add up to σ² (Kovesi's "boxes for Gauss").
    static func boxRadii(sigma: Float) -> [Int] {
        let passes = 3
        let ideal = (12 * sigma * sigma / Float(passes) + 1).squareRoot()
        var lower = Int(ideal)
        if lower % 2 == 0 { lower -= 1 }
        let upper = lower + 2
        let wl = Float(lower)
        let lowerCount = Int(((12 * sigma * sigma - Float(passes) * wl * wl - 4 * Float(passes) * wl - 3 * Float(passes))
            / (-4 * wl - 4)).rounded())
        return (0..<passes).map { ($0 < lowerCount ? lower : upper) / 2 }
    }

    /// Runs the box passes of `radii` along the `count` vectors at `tiles + pad` (zero around them), ping-ponging
    /// with the second tile at `tiles + length`; returns the tile holding the result.
    @inline(__always)
    private static func boxPasses(_ tiles: UnsafeMutablePointer<SIMD16<Float>>, count: Int, pad: Int, length: Int,
                                  radii: [Int]) -> UnsafeMutablePointer<SIMD16<Float>> {
        var source = tiles, destination = tiles + length
        for r in radii {
            let scale = 1 / Float(2 * r + 1)
            let a = source + pad, b = destination + pad
            var sum = SIMD16<Float>.zero
            for i in -r..<r { sum += a[i] }
            // Wrapping index arithmetic, as in the transposes.
            for x in 0..<count {
                sum += a[x &+ r]
                b[x] = sum * scale
                sum -= a[x &- r]
            }
            swap(&source, &destination)
        }
        return source
    }

    /// Fades the mask linearly to zero over the outer `pixels` rows and columns (no hard edge at a crop border).
    public mutating func fadeBorder(pixels: Int) {
        guard pixels > 0 else { return }
        let (w, h) = (width, height)
        values.withUnsafeMutableBufferPointer { v in
            for y in 0..<h {
                let dy = min(y, h - 1 - y)
                for x in 0..<w {
                    let d = min(dy, min(x, w - 1 - x))
                    if d < pixels { v[y * w + x] *= Float(d) / Float(pixels) }
                }
            }
        }
    }
}

/// Which extreme a square filter keeps (a protocol so the filter is specialised per extreme: no branch per pixel).
private protocol Extremum {
    static func pick(_ a: Float, _ b: Float) -> Float
}

private enum Minimum: Extremum {
    @inline(__always) static func pick(_ a: Float, _ b: Float) -> Float { b < a ? b : a }
}

private enum Maximum: Extremum {
    @inline(__always) static func pick(_ a: Float, _ b: Float) -> Float { b > a ? b : a }
}
