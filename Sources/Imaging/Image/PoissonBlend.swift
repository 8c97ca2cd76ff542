import Stream

/// Gradient-domain blending (Pérez, Gangnet & Blake 2003, "seamless cloning"): inside the region the face keeps its
/// own gradients, and at the region's border it meets the frame.
///
/// The blend adds to the face a correction that is the membrane (harmonic) interpolant of `under − over` from the
/// region's border inwards: Δc = 0 inside, c = under − over outside. It is solved coarse to fine on a pyramid
/// (cascadic multigrid): the coarsest level by many relaxation sweeps, each finer level starting from the coarser
/// solution and relaxing a few sweeps of successive over-relaxation, which is enough for a smooth membrane.
public enum PoissonBlend {
    /// The blended difference, one SIMD4 (r, g, b, 0) per pixel, 0…255 scale: `under + result` is the blend.
    ///
    /// The region is where `mask` > `level`, and the membrane's border values are taken just outside it: there the
    /// face must still be the face (a swap's image may hold the frame itself past its own mask, where `under − over`
    /// is 0 and would pin the correction to nothing). The result is `w·(over + c − under)` with `w` rising from 0
    /// at the region's border to 1 where `mask` is 1, so the face's fine detail, which the smooth membrane does not
    /// match at the border, fades in over the mask's own feather.
    ///
    /// - Parameters:
    ///   - sweeps: relaxation sweeps on the second level; each coarser level gets twice as many.
    ///   - finestSweeps: sweeps on the full-resolution level. The membrane is smooth, so the second level's,
    ///     upsampled, is close; what differs lies at the border, where the mask's feather is near 0 (on the shared
    ///     clips 0 and 6 sweeps gave the same seam and colour figures within 0.01).
    ///   - level: the mask's value at the region's border (0…1).
    public static func difference(over: RGBImage, under: RGBImage, mask: AlphaMask, level: Float = 0.5, sweeps: Int = 8,
                                  finestSweeps: Int = 0) -> [SIMD4<Float>] {
        precondition(over.width == under.width && over.height == under.height, "image sizes differ")
        precondition(mask.width == over.width && mask.height == over.height, "mask size differs")
        let (w, h) = (over.width, over.height)
        var known = [SIMD4<Float>](repeating: .zero, count: w * h)
        over.pixels.withUnsafeBufferPointer { o in
            under.pixels.withUnsafeBufferPointer { u in
                for i in known.indices { known[i] = -PyramidBlend.pixelDifference(o.baseAddress!, u.baseAddress!, i) }
            }
        }
        // The image's edge is always fixed, so every unknown has four neighbours.
        let level = min(max(level, 0), 0.99)
        var inside = mask.values.map { $0 > level }
        for x in 0..<w { inside[x] = false; inside[(h - 1) * w + x] = false }
        for y in 0..<h { inside[y * w] = false; inside[y * w + w - 1] = false }
        let problem = Membrane(values: known, inside: inside, width: w, height: h)
        let weight = mask.values.map { min(max(($0 - level) / (1 - level), 0), 1) }
        var out = [SIMD4<Float>](repeating: .zero, count: w * h)
        if finestSweeps == 0, min(w, h) >= 2 * Membrane.smallest, let coarse = problem.halved() {
            // The second level's membrane, sampled straight into the result.
            coarse.upsample(coarse.solved(sweeps: sweeps, coarser: 2 * sweeps), toWidth: w, height: h, at: inside) { i, c in
                out[i] = (c - known[i]) * weight[i]
            }
        } else {
            let membrane = problem.solved(sweeps: finestSweeps, coarser: sweeps)
            for i in out.indices where inside[i] {
                // over + c − under = c − (under − over).
                out[i] = (membrane[i] - known[i]) * weight[i]
            }
        }
        return out
    }

    /// A membrane problem on one level: `values` are fixed where `inside` is false and unknown where it is true
    /// (never on the image's edge).
    struct Membrane {
        let values: [SIMD4<Float>]
        let inside: [Bool]
        let width: Int, height: Int

        /// Over-relaxation factor of the sweeps.
        static let omega: Float = 1.7
        /// Levels stop halving below this size.
        static let smallest = 8

        /// The values with the unknowns filled by the membrane: `sweeps` on this level, `coarser` on the next
        /// (twice as many on each one after).
        func solved(sweeps: Int, coarser: Int) -> [SIMD4<Float>] {
            guard inside.contains(true) else { return values }
            var solution = values
            if min(width, height) >= 2 * Self.smallest, let coarse = halved() {
                // Start from the coarser level's membrane, bilinearly upsampled.
                coarse.upsample(coarse.solved(sweeps: coarser, coarser: 2 * coarser), toWidth: width, height: height,
                                at: inside) { i, c in solution[i] = c }
                if sweeps > 0 { relax(&solution, sweeps: sweeps) }
            } else {
                // The coarsest level: from the mean of the fixed values, relaxed until settled.
                var sum = SIMD4<Float>.zero, n: Float = 0
                for i in values.indices where !inside[i] { sum += values[i]; n += 1 }
                let start = n > 0 ? sum / n : .zero
                for i in solution.indices where inside[i] { solution[i] = start }
                relax(&solution, sweeps: max(sweeps, 4 * (width + height)))
            }
            return solution
        }

        /// `level` (this problem's size) bilinearly upsampled to the `fineWidth` × `fineHeight` level above it, with
        /// the pyramid blend's taps (``PyramidBlend/AxisTap``): `body(index, value)` for each fine pixel where
        /// `mask` holds.
        func upsample(_ level: [SIMD4<Float>], toWidth fineWidth: Int, height fineHeight: Int, at mask: [Bool],
                      _ body: (Int, SIMD4<Float>) -> Void) {
            let columns = PyramidBlend.AxisTap.taps(fine: fineWidth, coarse: width)
            let rows = PyramidBlend.AxisTap.taps(fine: fineHeight, coarse: height)
            level.withUnsafeBufferPointer { p in
                for y in 0..<fineHeight {
                    for x in 0..<fineWidth where mask[y * fineWidth + x] {
                        body(y * fineWidth + x, PyramidBlend.Bands.sample(p.baseAddress!, width: width, column: columns[x],
                                                                          row: rows[y]))
                    }
                }
            }
        }

        /// The half-size problem: a coarse pixel is unknown where all its fine pixels are; otherwise it holds the
        /// mean of its fixed ones (the border stays where it was). Nil when nothing is unknown there.
        func halved() -> Membrane? {
            let (hw, hh) = ((width + 1) / 2, (height + 1) / 2)
            var values = [SIMD4<Float>](repeating: .zero, count: hw * hh)
            var inside = [Bool](repeating: false, count: hw * hh)
            for y in 1..<max(hh - 1, 1) {
                let r0 = 2 * y * width, r1 = min(2 * y + 1, height - 1) * width
                for x in 1..<max(hw - 1, 1) {
                    let c0 = 2 * x, c1 = min(2 * x + 1, width - 1)
                    var sum = SIMD4<Float>.zero, n: Float = 0
                    @inline(__always) func gather(_ i: Int) {
                        if !self.inside[i] { sum += self.values[i]; n += 1 }
                    }
                    gather(r0 + c0); gather(r0 + c1); gather(r1 + c0); gather(r1 + c1)
                    // (A clamped odd row or column counts its last pixel twice, which changes no verdict.)
                    inside[y * hw + x] = n == 0
                    if n > 0 { values[y * hw + x] = sum / n }
                }
            }
            // The coarse edge is fixed, holding its fine pixels' mean.
            for y in 0..<hh {
                for x in 0..<hw where y == 0 || y == hh - 1 || x == 0 || x == hw - 1 {
                    var sum = SIMD4<Float>.zero, n: Float = 0
                    for fy in 2 * y...min(2 * y + 1, height - 1) {
                        for fx in 2 * x...min(2 * x + 1, width - 1) { sum += self.values[fy * width + fx]; n += 1 }
                    }
                    values[y * hw + x] = sum / n
                }
            }
            guard inside.contains(true) else { return nil }
            return Membrane(values: values, inside: inside, width: hw, height: hh)
        }

        /// Successive over-relaxation of the unknowns towards the mean of their four neighbours.
        func relax(_ v: inout [SIMD4<Float>], sweeps: Int) {
            let w = width
            let unknown = inside.indices.filter { inside[$0] }
            let omega = Self.omega
            v.withUnsafeMutableBufferPointer { buffer in
                unknown.withUnsafeBufferPointer { u in
                    let p = buffer.baseAddress!
                    for _ in 0..<sweeps {
                        for i in u {
                            let mean = (p[i - 1] + p[i + 1] + p[i - w] + p[i + w]) * 0.25
                            p[i] += (mean - p[i]) * omega
                        }
                    }
                }
            }
        }
    }
}
