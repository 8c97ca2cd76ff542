import Imaging
import Stream

/// The camera's grain on the new face, as compositors match a plate's grain: a swapped face is cleaner than the skin
/// the camera filmed (a photo resampled onto the target has none of the frame's sensor noise; a trained decoder
/// paints smooth skin), and a clean face in a grainy frame reads as pasted on — most of all from a webcam in a dim
/// room. Where the target's noise (``NoiseLevel``, in luma over the face's interior) is above the new face's,
/// synthetic grain makes up the difference (independent noises add in quadrature), in luma per pixel and in colour
/// per 2 × 2 block (``ChromaGrain``: a video's chroma is stored at half resolution).
///
/// The grain is drawn, not copied: the target's own fine texture would bring its creases, pores and moles, which a
/// face recogniser reads as the target (copying it, clipped to three times its median, took the astronaut's share
/// on talk_studio_2 from 0.44 to 0.20; docs/BENCHMARKS.md, "Session 35"). Each value comes from a hash of the pixel's
/// place and the frame's colours there, so it changes from frame to frame as a camera's noise does (not where the
/// frame itself stands still: a clipped highlight, a still picture), and the same input gives the same output.
///
/// Measured on the frame before the face is pasted and added in frame pixels after it, for every swapper: a trained
/// model's crop or a shrunk box is resampled on its way to the frame, which would smear grain added in swap space
/// into blotches; the frame's own pixels hold the camera's noise at its size.
public struct GrainMatch: Sendable, Equatable {
    /// Share of the missing noise σ that is added: 0 = off, 1 = as much as the target's.
    public var strength: Float
    /// Share of the mask's top level from which a pixel is the new face in full and counts for the measurement.
    static let interior: Float = 0.9
    /// Pixels needed to measure (fewer: nothing is added).
    static let minimumPixels = 64
    /// The share of the target's noise σ the face is brought to (the estimates differ by a few per cent).
    static let matched: Float = 0.95
    /// Noise σ (levels) taken off what is missing, so nothing is added below it: the estimate's floor on 8-bit
    /// video (a clean camera's noise measures 0.3–0.5, its rounding), where grain would only cost time.
    static let floor: Float = 0.75

    public init(strength: Float = 1) {
        self.strength = strength
    }

    /// What the frame shows under a face about to be pasted (the camera's plate), measured: nil when no grain is to
    /// be added (off, a clean camera, too little of the face in the frame). Measured before the paste, in frame
    /// pixels: the frame's own noise, not resampled (resampling smooths noise).
    ///
    /// - Parameters:
    ///   - mask: the blend's mask (swap space, 0…1); the grain fades with it towards the face's edge.
    ///   - spare: what stays the target's or is painted from it (kept openings, glasses, hands): no grain there.
    ///   - toFrame: swap space → frame.
    func plate(of frame: RGBImage, mask: AlphaMask, spare: [AlphaMask], toFrame: AffineTransform2D) -> Plate? {
        guard strength > 0, let support = mask.support(above: FacePaste.threshold), let toSpace = toFrame.inverted(),
              let pixels = FacePaste.reach(of: support, toFrame: toFrame, width: frame.width, height: frame.height)
        else { return nil }
        // Measured on every third pixel each way (the median of a ninth of them, thousands, is as steady), off the
        // frame's outer pixels.
        let (xa, xb) = (max(pixels.x.lowerBound, 1), min(pixels.x.upperBound, frame.width - 2))
        let (ya, yb) = (max(pixels.y.lowerBound, 1), min(pixels.y.upperBound, frame.height - 2))
        guard xa <= xb, ya <= yb else { return nil }
        let grid = Grid(x0: xa, y0: ya, width: (xb - xa) / 3 + 1, height: (yb - ya) / 3 + 1, step: 3)
        // The mask's top level (inside its support, as every value above the paste's threshold is): an opacity below
        // 1 lowers the whole mask.
        let top = min(mask.maximum, 1)
        let sample = Sample(grid: grid, mask: mask, spare: spare, toSpace: toSpace, interior: Self.interior * top)
        let target = sample.noise(of: frame)
        guard target.count >= Self.minimumPixels else { return nil }
        // A clean camera (the usual case) needs none, whatever the face's noise.
        guard Self.matched * target.sigma > Self.floor else { return nil }
        let box = Grid(x0: pixels.x.lowerBound, y0: pixels.y.lowerBound, width: pixels.x.count,
                       height: pixels.y.count, step: 1)
        return Plate(strength: min(strength, 1), sigma: target.sigma, top: top, sample: sample, box: box,
                     under: frame.cropped(x: box.x0, y: box.y0, width: box.width, height: box.height),
                     mask: box.warp(mask, toSpace: toSpace), spare: box.warp(spare, toSpace: toSpace))
    }

    /// The σ of grain to add (levels) to a face with noise σ `face` in a frame with `target`: up to `matched` of the
    /// target's, less the floor — 0 where the face is that noisy already or the camera's noise is below measuring,
    /// rising from there, so estimates that differ by a few per cent from frame to frame do not switch it on and off.
    static func added(target: Float, face: Float, strength: Float) -> Float {
        let missing = matched * matched * target * target - face * face - floor * floor
        return missing > 0 ? strength * missing.squareRoot() : 0
    }

    /// A near-Gaussian draw from the low four bytes of `bits` (their sum, centred), with σ ``drawSigma``.
    @inline(__always)
    static func draw(_ bits: UInt64) -> Float {
        Float((bits & 0xFF) + (bits >> 8 & 0xFF) + (bits >> 16 & 0xFF) + (bits >> 24 & 0xFF)) - 510
    }

    /// The σ of ``draw(_:)``: four uniform bytes, √(4 · (256² − 1) / 12).
    static let drawSigma = (4 * (65_536 - 1) / Float(12)).squareRoot()

    /// Frame pixels `step` apart from (`x0`, `y0`), `width` × `height` of them.
    struct Grid {
        let x0: Int, y0: Int, width: Int, height: Int, step: Int

        /// `mask` (swap space) at the grid's pixels, zero outside it.
        func warp(_ mask: AlphaMask, toSpace: AffineTransform2D) -> AlphaMask {
            let s = Float(step)
            let grid = AffineTransform2D(a: s, b: 0, tx: Float(x0), c: 0, d: s, ty: Float(y0))
            return ImageWarper.warp(mask, width: width, height: height, outputToSource: grid.concatenating(toSpace))
        }

        /// The larger of `masks` at the grid's pixels; nil for none.
        func warp(_ masks: [AlphaMask], toSpace: AffineTransform2D) -> AlphaMask? {
            masks.reduce(nil) { union, mask in
                var warped = warp(mask, toSpace: toSpace)
                if let union { warped.formUnion(union) }
                return warped
            }
        }
    }

    /// The pixels the noise is measured at: the grid's, where the mask is the new face in full and nothing is
    /// spared.
    struct Sample {
        let grid: Grid
        /// 1 where measured, else 0 (grid-sized).
        let counted: AlphaMask
        /// The mask's level from which a pixel counts.
        let interior: Float

        init(grid: Grid, mask: AlphaMask, spare: [AlphaMask], toSpace: AffineTransform2D, interior: Float) {
            (self.grid, self.interior) = (grid, interior)
            var counted = grid.warp(mask, toSpace: toSpace)
            let spared = grid.warp(spare, toSpace: toSpace)
            counted.values.withUnsafeMutableBufferPointer { c in
                for i in c.indices { c[i] = c[i] >= interior && (spared?.values[i] ?? 0) < 0.5 ? 1 : 0 }
            }
            self.counted = counted
        }

        /// The luma noise of `frame` at the counted pixels.
        func noise(of frame: RGBImage) -> NoiseLevel {
            var level = NoiseLevel()
            frame.pixels.withUnsafeBufferPointer { p in
                counted.values.withUnsafeBufferPointer { c in
                    level.addEach { add in
                        // Wrapping: the grid lies inside the frame (off its outer pixels), `counted` is its size.
                        for v in 0..<grid.height {
                            let (row, j0) = (v &* grid.width, (grid.y0 &+ grid.step &* v) &* frame.width &+ grid.x0)
                            for u in 0..<grid.width where c[row &+ u] > 0 {
                                let j = j0 &+ grid.step &* u
                                add(GrainMatch.lumaResponse(p.baseAddress!, at: 3 &* j, width: frame.width))
                            }
                        }
                    }
                }
            }
            return level
        }
    }

    /// The frame under a face before its paste, measured (``GrainMatch/plate(of:mask:spare:toFrame:)``).
    struct Plate {
        let strength: Float
        /// The frame's luma noise σ over the face's interior (levels).
        let sigma: Float
        /// The mask's top level (the opacity): where the face is pasted in full.
        let top: Float
        let sample: Sample
        /// The frame pixels the mask reaches, and what they showed before the paste.
        let box: Grid
        let under: RGBImage
        /// The blend's mask and what is spared, at the box's pixels.
        let mask: AlphaMask
        let spare: AlphaMask?

        /// Adds grain to `frame` (with the face pasted) as much as the face there has less noise than the frame had,
        /// in luma and in colour (``ChromaGrain``). Returns the luma grain's σ (levels; 0 when none was added).
        @discardableResult
        func add(to frame: inout RGBImage) -> Float {
            // Measured on the face as pasted (an opacity below 1 has mixed the frame's own noise in already).
            let grain = GrainMatch.added(target: sigma, face: sample.noise(of: frame).sigma, strength: strength)
            let chroma = ChromaGrain(plate: self, frame: frame)
            guard grain > 0 || chroma != nil else { return 0 }
            let scale = grain / GrainMatch.drawSigma
            let frameWidth = frame.width
            let none = [Float]()
            let colours = chroma?.offsets ?? []
            under.pixels.withUnsafeBufferPointer { t in
            frame.pixels.withUnsafeMutableBufferPointer { p in
            mask.values.withUnsafeBufferPointer { m in
            (spare?.values ?? none).withUnsafeBufferPointer { spared in
            colours.withUnsafeBufferPointer { colours in
                for v in 0..<box.height {
                    // This row's blocks of colour grain, and the first pixel and pixels they cover.
                    let blocks = chroma.flatMap { $0.row(y: box.y0 + v) }
                    // Wrapping: the box lies inside the frame; `under`, `mask` and `spare` are its size, and a row's
                    // blocks lie inside it.
                    let (row, frameRow) = (v &* box.width, (box.y0 &+ v) &* frameWidth &+ box.x0)
                    for u in 0..<box.width {
                        let i = row &+ u
                        guard m[i] > FacePaste.threshold else { continue }
                        // In full where the face is, fading with the mask towards its edge.
                        let weight = min(m[i] / top, 1) * (spared.isEmpty ? 1 : 1 - min(max(spared[i], 0), 1))
                        guard weight > 0 else { continue }
                        let j = frameRow &+ u
                        let q = 3 &* i
                        let h = GrainMatch.mix(UInt64(truncatingIfNeeded: j) &* 0x9E37_79B9_7F4A_7C15
                            ^ (UInt64(t[q]) | UInt64(t[q &+ 1]) << 8 | UInt64(t[q &+ 2]) << 16))
                        // Luma grain: one step on R, G and B alike; then the block's colour grain, rounded per
                        // channel.
                        var add = SIMD3(repeating: (weight * scale * GrainMatch.draw(h)).rounded(.toNearestOrEven))
                        if let blocks, case let x = box.x0 &+ u &- blocks.x0, x >= 0, x < blocks.pixels {
                            add += (weight * colours[blocks.start &+ (x >> 1)]).rounded(.toNearestOrEven)
                        }
                        guard add != .zero else { continue }
                        // Whole levels: the byte conversion rounds nothing, only clamps (without a trapping check).
                        let pixel = p.baseAddress! + 3 &* j
                        let sum = SIMD3(Float(pixel[0]), Float(pixel[1]), Float(pixel[2])) + add
                        (pixel[0], pixel[1], pixel[2]) = (Bilinear.byte(sum.x), Bilinear.byte(sum.y), Bilinear.byte(sum.z))
                    }
                }
            }}}}}
            return grain
        }
    }

    /// ``NoiseLevel``'s response of the luma (Rec. 601, in 256ths) of packed RGB `p` (`width` pixels a row) at
    /// byte `i`.
    @inline(__always)
    static func lumaResponse(_ p: UnsafePointer<UInt8>, at i: Int, width: Int) -> Float {
        // Whole numbers below 2²⁴ in Float: the sums are exact, as in integers.
        // Wrapping: a byte's weighted sum is below 2¹⁶; `i` is off the frame's outer pixels, its neighbours in it.
        NoiseLevel.response(at: i, step: 3, row: 3 &* width) { k in
            Float(77 &* Int(p[k]) &+ 150 &* Int(p[k &+ 1]) &+ 29 &* Int(p[k &+ 2]))
        } / 256
    }

    /// SplitMix64's finaliser: every input bit reaches every output bit, so a pixel whose colour changes by a level
    /// draws unrelated grain.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
