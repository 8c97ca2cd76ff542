import Foundation

extension AlphaMask {
    /// Shrinks (`pixels` > 0) or grows (`pixels` < 0) the mask by a square min/max filter of radius |pixels|.
    /// Outside the mask counts as zero, so erosion also pulls the mask away from the border.
    public mutating func erode(pixels: Int) {
        guard pixels != 0 else { return }
        let r = abs(pixels)
        let takeMin = pixels > 0
        morphologyPass(radius: r, horizontal: true, takeMin: takeMin)
        morphologyPass(radius: r, horizontal: false, takeMin: takeMin)
    }

    private mutating func morphologyPass(radius r: Int, horizontal: Bool, takeMin: Bool) {
        let (w, h) = (width, height)
        let lines = horizontal ? h : w, length = horizontal ? w : h
        let stride = horizontal ? 1 : w, lineStride = horizontal ? w : 1
        let line = UnsafeMutablePointer<Float>.allocate(capacity: length + 2 * r)
        defer { line.deallocate() }
        line.initialize(repeating: 0, count: length + 2 * r)
        values.withUnsafeMutableBufferPointer { v in
            let out = v.baseAddress!
            for l in 0..<lines {
                let base = out + l * lineStride
                for i in 0..<length { line[r + i] = base[i * stride] }
                for i in 0..<length {
                    var acc = line[i]
                    // `<`/`>` rather than min/max: no NaN handling in the inner loop.
                    if takeMin {
                        for k in 1...(2 * r) where line[i + k] < acc { acc = line[i + k] }
                    } else {
                        for k in 1...(2 * r) where line[i + k] > acc { acc = line[i + k] }
                    }
                    base[i * stride] = acc
                }
            }
        }
    }

    /// Gaussian blur with standard deviation `sigma` pixels (separable, kernel radius ⌈3σ⌉, zero outside).
    public mutating func gaussianBlur(sigma: Float) {
        guard sigma > 0.1 else { return }
        let r = Int((3 * sigma).rounded(.up))
        var kernel = (-r...r).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        for i in kernel.indices { kernel[i] /= total }
        let (w, h) = (width, height)
        var temp = [Float](repeating: 0, count: w * h)
        var padded = [Float](repeating: 0, count: w + 2 * r + 8)
        let taps = kernel.count
        values.withUnsafeMutableBufferPointer { v in
            temp.withUnsafeMutableBufferPointer { t in
                padded.withUnsafeMutableBufferPointer { p in
                    kernel.withUnsafeBufferPointer { k in
                        let raw = UnsafeRawPointer(p.baseAddress!)
                        // Horizontal: eight outputs at a time from unaligned loads of the zero-padded row.
                        for y in 0..<h {
                            for x in 0..<w { p[r + x] = v[y * w + x] }
                            var x = 0
                            while x + 8 <= w {
                                var acc = SIMD8<Float>(repeating: 0)
                                for j in 0..<taps {
                                    acc += k[j] * raw.loadUnaligned(fromByteOffset: (x + j) * 4, as: SIMD8<Float>.self)
                                }
                                UnsafeMutableRawPointer(t.baseAddress! + y * w + x).storeBytes(of: acc, as: SIMD8<Float>.self)
                                x += 8
                            }
                            while x < w {
                                var acc: Float = 0
                                for j in 0..<taps { acc += k[j] * p[x + j] }
                                t[y * w + x] = acc
                                x += 1
                            }
                        }
                        // Vertical: weighted sum of rows, eight columns at a time.
                        let tRaw = UnsafeRawPointer(t.baseAddress!)
                        for y in 0..<h {
                            let j0 = max(0, r - y), j1 = min(taps, h - y + r)
                            var x = 0
                            while x + 8 <= w {
                                var acc = SIMD8<Float>(repeating: 0)
                                for j in j0..<j1 {
                                    acc += k[j] * tRaw.loadUnaligned(fromByteOffset: ((y + j - r) * w + x) * 4, as: SIMD8<Float>.self)
                                }
                                UnsafeMutableRawPointer(v.baseAddress! + y * w + x).storeBytes(of: acc, as: SIMD8<Float>.self)
                                x += 8
                            }
                            while x < w {
                                var acc: Float = 0
                                for j in j0..<j1 { acc += k[j] * t[(y + j - r) * w + x] }
                                v[y * w + x] = acc
                                x += 1
                            }
                        }
                    }
                }
            }
        }
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
