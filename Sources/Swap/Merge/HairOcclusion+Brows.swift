import Face
import Imaging
import Stream

extension HairOcclusion {
    /// `brows` (the target's risen brows, swap space), less what it reaches above the brows themselves (`reach`,
    /// pixels) towards either temple where hair lies right above it: there a lock falls past the brow's tail, and as
    /// brow it was never hair, so the new forehead's skin was laid over the lock as a pale box (talk_woman_d10 when
    /// her head tilts; docs/BENCHMARKS.md, "Session 27"). The brow itself stays out of the search: a lock would take
    /// its tail with it, a dark wedge beside the new brow.
    ///
    /// Across the face (along the brows' line), each column of the mask is judged by the band just above its top,
    /// ``browHairBand`` high: unlike skin over more than half of it, the column lies under hair. From the brows'
    /// middle outwards, the first such column and all beyond it lose the part above the brow, faded out over as many
    /// columns before it as the band is high: cut in one column, the hair kept beside the cut ended in a straight
    /// vertical edge against the new forehead (talk_woman_d10, frames 5 and 30).
    ///
    /// - Parameter unlikeness: how unlike the target's skin the frame is at a point (0…1).
    func browsUnderSkin(_ brows: AlphaMask, reach: Float, points: [SIMD2<Float>], faceWidth: Float,
                        unlikeness: (SIMD2<Float>) -> Float) -> AlphaMask {
        let (line, up) = FaceMeshTopology.browLine(points)
        let across = SIMD2(up.y, -up.x)
        guard let box = brows.support(above: 0) else { return brows }
        let w = brows.width
        func bin(_ d: SIMD2<Float>) -> Int { Int((d * across).sum().rounded()) }
        // Each column's top: the highest pixel of the mask's core, in 1 px bins across the face.
        var tops: [Int: Float] = [:]
        for y in box.y0...box.y1 {
            for x in box.x0...box.x1 where brows.values[y * w + x] >= 0.5 {
                let d = SIMD2(Float(x), Float(y)) - line
                let column = bin(d)
                tops[column] = max(tops[column] ?? -.infinity, (d * up).sum())
            }
        }
        guard let first = tops.keys.min(), let last = tops.keys.max() else { return brows }
        let band = max(Int((browHairBand * faceWidth).rounded()), 1)
        func underHair(_ column: Int) -> Bool {
            guard let top = tops[column] else { return false }
            let unlike = (1...band).count { k in
                unlikeness(line + across * Float(column) + up * (top + Float(k))) > 0.5
            }
            return 2 * unlike > band
        }
        // The brows' line crosses the face's middle at bin 0.
        var keptFrom = first, keptTo = last
        if last > 0, let cut = (1...last).first(where: underHair) { keptTo = cut - 1 }
        if first < 0, let cut = stride(from: -1, through: first, by: -1).first(where: underHair) { keptFrom = cut + 1 }
        guard keptFrom > first || keptTo < last else { return brows }
        var out = brows
        for y in box.y0...box.y1 {
            for x in box.x0...box.x1 where out.values[y * w + x] > 0 {
                let d = SIMD2(Float(x), Float(y)) - line
                let column = bin(d)
                // Columns from the cut (counted from 1 at the last one kept), on the sides that were cut.
                let kept = min(keptFrom > first ? column - keptFrom + 1 : Int.max,
                               keptTo < last ? keptTo + 1 - column : Int.max)
                guard kept < band else { continue }
                // Below the brow's own top the mask stays.
                if let top = tops[column], (d * up).sum() < top - reach { continue }
                out.values[y * w + x] *= Float(max(kept, 0)) / Float(band)
            }
        }
        return out
    }
}
