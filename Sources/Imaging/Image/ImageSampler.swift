import Stream

/// Fills network input tensors (NHWC float RGB) from ``RGBImage``s in one resampling pass.
package enum ImageSampler {
    /// Where a frame region landed in a letterboxed square input.
    package struct Letterbox: Sendable {
        /// The frame region, in frame pixels.
        package var region: (x: Float, y: Float, width: Float, height: Float)
        /// Input side length.
        package var size: Int
        /// The region's placement inside the input, in input pixels.
        package var contentX: Int, contentY: Int, contentWidth: Int, contentHeight: Int

        /// Frame coordinates of a point given in normalised input coordinates (0…1 across the input).
        package func framePoint(_ p: SIMD2<Float>) -> SIMD2<Float> {
            let s = Float(size)
            return SIMD2(region.x + (p.x * s - Float(contentX)) * region.width / Float(contentWidth),
                         region.y + (p.y * s - Float(contentY)) * region.height / Float(contentHeight))
        }
    }

    /// Scales `region` of `image` to fit a `size`×`size` input, centred, with `fill` around it; pixel values map
    /// to `value · scale + offset`.
    package static func letterbox(
        _ image: RGBImage, region: (x: Float, y: Float, width: Float, height: Float), size: Int,
        scale: Float, offset: Float, into dst: UnsafeMutableBufferPointer<Float>
    ) -> Letterbox {
        precondition(dst.count == size * size * 3)
        let fit = Float(size) / max(region.width, region.height)
        let cw = max(1, min(size, Int((region.width * fit).rounded())))
        let ch = max(1, min(size, Int((region.height * fit).rounded())))
        let box = Letterbox(region: region, size: size, contentX: (size - cw) / 2, contentY: (size - ch) / 2,
                            contentWidth: cw, contentHeight: ch)
        dst.update(repeating: offset)
        let xs = ResampleTaps(count: cw, origin: Double(region.x), length: Double(region.width), limit: image.width)
        let ys = ResampleTaps(count: ch, origin: Double(region.y), length: Double(region.height), limit: image.height)
        var row = [Float](repeating: 0, count: cw * 3)
        // Unsafe views: this loop touches every source pixel of the region once per overlapping tap.
        image.pixels.withUnsafeBufferPointer { px in
            xs.withUnsafeTaps { xStart, xEnd, xIndex, xWeight in
                ys.withUnsafeTaps { yStart, yEnd, yIndex, yWeight in
                    row.withUnsafeMutableBufferPointer { acc in
                        for v in 0..<ch {
                            acc.update(repeating: 0)
                            for t in yStart[v] ..< yEnd[v] {
                                let src = px.baseAddress! + yIndex[t] * image.width * 3
                                let wy = yWeight[t]
                                for u in 0..<cw {
                                    var r: Float = 0, g: Float = 0, b: Float = 0
                                    for s in xStart[u] ..< xEnd[u] {
                                        let p = src + xIndex[s] * 3
                                        let w = xWeight[s]
                                        r += w * Float(p[0]); g += w * Float(p[1]); b += w * Float(p[2])
                                    }
                                    acc[3 * u] += wy * r; acc[3 * u + 1] += wy * g; acc[3 * u + 2] += wy * b
                                }
                            }
                            let out = dst.baseAddress! + ((box.contentY + v) * size + box.contentX) * 3
                            for i in 0..<cw * 3 { out[i] = acc[i] * scale + offset }
                        }
                    }
                }
            }
        }
        return box
    }

    /// Resamples `image` through the taps of each axis (area averages when shrinking, ``ResampleTaps``), one output
    /// row at a time: `body(v, row)` gets row `v` as `xs.count` packed RGB floats (0–255).
    ///
    /// Down the columns first (only those the horizontal taps read), then along the row: each source pixel is read
    /// once per vertical tap instead of once per pair of taps, which suits a shrink by a few times that reads every
    /// column (``ImageWarper/resample(_:width:height:outputToSource:)``). The letterbox above goes along its rows
    /// first: its large shrinks read a few columns of many, and the detector's input stays as it was tested.
    static func areaRows(of image: RGBImage, xs: ResampleTaps, ys: ResampleTaps,
                         _ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        let (cw, ch) = (xs.count, ys.count)
        let (sources, across) = xs.compacted()
        // A shrink by less than `ResampleTaps.maxBoxTaps` reads every column of its span.
        let contiguous = !sources.isEmpty && sources[sources.count - 1] - sources[0] == sources.count - 1
        var column = [Float](repeating: 0, count: sources.count * 3)
        var row = [Float](repeating: 0, count: cw * 3)
        // Unsafe views: this loop touches every source pixel of the region once per vertical tap.
        image.pixels.withUnsafeBufferPointer { px in
            across.withUnsafeTaps { xStart, xEnd, xIndex, xWeight in
                ys.withUnsafeTaps { yStart, yEnd, yIndex, yWeight in
                    sources.withUnsafeBufferPointer { from in
                        column.withUnsafeMutableBufferPointer { col in
                            row.withUnsafeMutableBufferPointer { acc in
                                for v in 0..<ch {
                                    col.update(repeating: 0)
                                    for t in yStart[v] ..< yEnd[v] {
                                        let src = px.baseAddress! + yIndex[t] * image.width * 3
                                        let wy = yWeight[t]
                                        if contiguous {
                                            // One flat run of bytes: the compiler vectorises it.
                                            let run = src + from[0] * 3, c = col.baseAddress!
                                            for i in 0..<col.count { c[i] += wy * Float(run[i]) }
                                            continue
                                        }
                                        for k in from.indices {
                                            let p = src + from[k] * 3
                                            col[3 * k] += wy * Float(p[0])
                                            col[3 * k + 1] += wy * Float(p[1])
                                            col[3 * k + 2] += wy * Float(p[2])
                                        }
                                    }
                                    for u in 0..<cw {
                                        var r: Float = 0, g: Float = 0, b: Float = 0
                                        for s in xStart[u] ..< xEnd[u] {
                                            let c = xIndex[s] * 3
                                            let w = xWeight[s]
                                            r += w * col[c]; g += w * col[c + 1]; b += w * col[c + 2]
                                        }
                                        (acc[3 * u], acc[3 * u + 1], acc[3 * u + 2]) = (r, g, b)
                                    }
                                    body(v, UnsafeBufferPointer(acc))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Samples `image` bilinearly on a `size`×`size` grid: grid pixel (u, v) reads image point
    /// `origin + u·axisX + v·axisY` (black outside the image); values map to `value · scale + offset`.
    package static func warp(
        _ image: RGBImage, origin: SIMD2<Float>, axisX: SIMD2<Float>, axisY: SIMD2<Float>, size: Int,
        scale: Float, offset: Float, into dst: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(dst.count == size * size * 3)
        let w = image.width, h = image.height
        image.pixels.withUnsafeBufferPointer { px in
            @inline(__always) func sample(_ x: Int, _ y: Int) -> SIMD4<Float> {
                x >= 0 && x < w && y >= 0 && y < h ? pixel(px, (y * w + x) * 3) : SIMD4()
            }
            for v in 0..<size {
                var p = origin + Float(v) * axisY
                for u in 0..<size {
                    let fx = p.x.rounded(.down), fy = p.y.rounded(.down)
                    let tx = p.x - fx, ty = p.y - fy
                    let x0 = Int(fx), y0 = Int(fy)
                    let c00: SIMD4<Float>, c10: SIMD4<Float>, c01: SIMD4<Float>, c11: SIMD4<Float>
                    if x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h {
                        let i00 = (y0 * w + x0) * 3, i01 = i00 + w * 3
                        (c00, c10, c01, c11) = (pixel(px, i00), pixel(px, i00 + 3), pixel(px, i01), pixel(px, i01 + 3))
                    } else {
                        (c00, c10, c01, c11) = (sample(x0, y0), sample(x0 + 1, y0), sample(x0, y0 + 1), sample(x0 + 1, y0 + 1))
                    }
                    let top = c00 + (c10 - c00) * tx
                    let bottom = c01 + (c11 - c01) * tx
                    store((top + (bottom - top) * ty) * scale + offset, to: dst.baseAddress! + (v * size + u) * 3)
                    p += axisX
                }
            }
        }
    }

    /// The pixel whose R is at byte `offset`, as (R, G, B, junk) floats: one 4-byte load, except for the
    /// buffer's last pixel.
    @inline(__always)
    private static func pixel(_ px: UnsafeBufferPointer<UInt8>, _ offset: Int) -> SIMD4<Float> {
        if offset + 4 <= px.count {
            let bytes = UnsafeRawPointer(px.baseAddress! + offset).loadUnaligned(as: SIMD4<UInt8>.self)
            return SIMD4<Float>(SIMD4<Int32>(truncatingIfNeeded: bytes))
        }
        return SIMD4(Float(px[offset]), Float(px[offset + 1]), Float(px[offset + 2]), 0)
    }

    /// Stores the first three lanes (R, G, B).
    @inline(__always)
    private static func store(_ v: SIMD4<Float>, to out: UnsafeMutablePointer<Float>) {
        out[0] = v[0]; out[1] = v[1]; out[2] = v[2]
    }
}
