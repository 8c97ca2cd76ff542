import Imaging
import Stream

extension GrainMatch {
    /// The camera's colour speckle on the new face. A dim webcam's noise is coloured as well as light and dark; the
    /// stream stores chroma once per 2 × 2 pixels (4:2:0), so its speckle is blocks of that size, and so is the grain
    /// drawn here: one (Cb, Cr) value per block aligned to the frame's chroma grid, which the encoder keeps whole.
    /// Measured and matched per channel like the luma's, on the blocks' mean chroma; only on a camera whose luma is
    /// noisy enough for grain (a clean camera's frames are left bit-identical).
    struct ChromaGrain {
        /// Frame coordinates of the first block's top-left pixel; blocks per row and rows of blocks.
        let x0: Int, y0: Int, columns: Int, rows: Int
        /// Per block (row by row), the grain's change of R, G and B (levels; no change of luma).
        let offsets: [SIMD3<Float>]

        /// The grain for `frame` (with the face pasted) under `plate`; nil when neither channel needs any.
        init?(plate: Plate, frame: RGBImage) {
            let box = plate.box
            // Whole blocks of the frame's chroma grid (even coordinates) inside the box.
            (x0, y0) = ((box.x0 + 1) & ~1, (box.y0 + 1) & ~1)
            (columns, rows) = ((box.x0 + box.width - x0) / 2, (box.y0 + box.height - y0) / 2)
            guard columns >= 3, rows >= 3 else { return nil }
            let (x0, y0, columns, rows) = (x0, y0, columns, rows)
            // Blocks the face covers in full and nothing spares, off the grid's outer blocks.
            var counted = [Bool](repeating: false, count: columns * rows)
            let interior = plate.sample.interior
            let none = [Float]()
            plate.mask.values.withUnsafeBufferPointer { m in
            (plate.spare?.values ?? none).withUnsafeBufferPointer { spare in
            counted.withUnsafeMutableBufferPointer { counted in
                // Wrapping: the blocks' pixels lie inside the box, whose size `mask` and `spare` are.
                for v in 1..<(rows - 1) {
                    let row = (y0 &- box.y0 &+ 2 &* v) &* box.width &+ x0 &- box.x0
                    for u in 1..<(columns - 1) {
                        let i = row &+ 2 &* u
                        let corners = (i, i &+ 1, i &+ box.width, i &+ box.width &+ 1)
                        guard min(m[corners.0], m[corners.1], m[corners.2], m[corners.3]) >= interior else { continue }
                        if !spare.isEmpty, max(spare[corners.0], spare[corners.1],
                                               spare[corners.2], spare[corners.3]) >= 0.5 {
                            continue
                        }
                        counted[v &* columns &+ u] = true
                    }
                }
            }}}
            guard counted.lazy.filter({ $0 }).count >= GrainMatch.minimumPixels else { return nil }
            let target = Self.chroma(of: plate.under, x0: x0 - box.x0, y0: y0 - box.y0, columns: columns, rows: rows)
            let face = Self.chroma(of: frame, x0: x0, y0: y0, columns: columns, rows: rows)
            // σ to add per channel, as the luma's.
            var grain = SIMD2<Float>.zero
            for c in 0..<2 {
                grain[c] = GrainMatch.added(target: Self.noise(target[c], counted: counted, columns: columns),
                                            face: Self.noise(face[c], counted: counted, columns: columns),
                                            strength: plate.strength)
            }
            guard grain != .zero else { return nil }
            // Bytes 0–3 and 4–7 of one hash per block (not the luma's hash, which is per pixel and keyed
            // otherwise).
            let scale = grain / GrainMatch.drawSigma
            var offsets = [SIMD3<Float>](repeating: .zero, count: columns * rows)
            plate.under.pixels.withUnsafeBufferPointer { t in
            offsets.withUnsafeMutableBufferPointer { offsets in
                // Wrapping: the blocks lie inside the box (and the frame).
                for v in 0..<rows {
                    let y = y0 &+ 2 &* v
                    for u in 0..<columns {
                        let x = x0 &+ 2 &* u
                        let q = 3 &* ((y &- box.y0) &* box.width &+ x &- box.x0)
                        let h = GrainMatch.mix(UInt64(truncatingIfNeeded: y &* 65_536 &+ x) &* 0xD6E8_FEB8_6659_FD93
                            ^ (UInt64(t[q]) | UInt64(t[q &+ 1]) << 8 | UInt64(t[q &+ 2]) << 16))
                        // What a change of Cb and Cr alone (luma held) does to R, G and B.
                        let change = SIMD3(0, scale.x * GrainMatch.draw(h), scale.y * GrainMatch.draw(h >> 32))
                        offsets[v &* columns &+ u] = YCbCr.toRGB(change)
                    }
                }
            }}
            self.offsets = offsets
        }

        /// The blocks of frame row `y`: the index of its first in ``offsets``, the frame column it starts at and
        /// how many pixels the row's blocks cover; nil for a row outside them.
        @inline(__always)
        func row(y: Int) -> (start: Int, x0: Int, pixels: Int)? {
            guard y >= y0, (y - y0) >> 1 < rows else { return nil }
            return (((y - y0) >> 1) * columns, x0, 2 * columns)
        }

        /// Per block, the mean Cb and Cr (0–255 scale, full-range BT.601) of `image`'s 2 × 2 pixels from (`x0`,
        /// `y0`).
        private static func chroma(of image: RGBImage, x0: Int, y0: Int, columns: Int, rows: Int) -> [[Float]] {
            var (cb, cr) = ([Float](repeating: 0, count: columns * rows), [Float](repeating: 0, count: columns * rows))
            // Written through pointers: into the nested array, each write checked the arrays' uniqueness.
            image.pixels.withUnsafeBufferPointer { p in
            cb.withUnsafeMutableBufferPointer { cb in
            cr.withUnsafeMutableBufferPointer { cr in
                // Wrapping: the blocks lie inside the image.
                for v in 0..<rows {
                    let row = p.baseAddress! + 3 &* ((y0 &+ 2 &* v) &* image.width &+ x0)
                    for u in 0..<columns {
                        let q = row + 6 &* u
                        let r = q + 3 &* image.width
                        @inline(__always) func rgb(_ q: UnsafePointer<UInt8>) -> SIMD3<Float> {
                            SIMD3(Float(q[0]), Float(q[1]), Float(q[2]))
                        }
                        let ycc = YCbCr.fromRGB((rgb(q) + rgb(q + 3) + rgb(r) + rgb(r + 3)) / 4)
                        (cb[v &* columns &+ u], cr[v &* columns &+ u]) = (ycc.y, ycc.z)
                    }
                }
            }}}
            return [cb, cr]
        }

        /// ``NoiseLevel``'s σ of a plane of blocks over the counted ones (none on the plane's outer blocks).
        private static func noise(_ plane: [Float], counted: [Bool], columns: Int) -> Float {
            var level = NoiseLevel()
            plane.withUnsafeBufferPointer { p in
            counted.withUnsafeBufferPointer { counted in
                level.addEach { add in
                    for i in counted.indices where counted[i] {
                        add(NoiseLevel.response(p.baseAddress!, at: i, step: 1, row: columns))
                    }
                }
            }}
            return level.sigma
        }
    }
}
