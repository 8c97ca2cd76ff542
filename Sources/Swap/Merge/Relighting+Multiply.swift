import Foundation
import Imaging
import Stream

extension Relighting {
    /// `face` × the coarse ratio planes, bilinearly interpolated, where `region` > 1/255; with `detail`, the face's
    /// detail (its luma over `faceShade`, the face's shading luma per cell, 0…1) toned down too; with `chroma`, its
    /// chroma moved to the target's.
    ///
    /// Eight pixels of a row at a time (``PixelRun``): one pixel after another, each waited on the last one's long
    /// chain of divisions, and this loop was an eighth of the swap and merge. The cell planes are first
    /// interpolated along every cell row at each column (``CellRows/across(_:columns:cellRows:into:)``), so a pixel
    /// reads them as rows in its own columns; the sums are the same, taken in the same order, as pixel by pixel.
    static func multiply(_ face: inout RGBImage, by ratio: [Float], width lw: Int, height lh: Int,
                         region: AlphaMask, faceShade: [Float], detail: Detail? = nil, chroma: Chroma? = nil) {
        let measuresDetail = detail != nil || (chroma.map { $0.tint != .zero } ?? false)
        let (w, h) = (face.width, face.height)
        let columns = CellRows.Columns(width: w, cells: lw, step: step)
        // One buffer of cell rows at the face's columns: the ratio's channels and the target tone's across each
        // cell row; the face's shading and its log at each column's two cells (not interpolated: cells without
        // shading are left out per pixel).
        let plane = lh * w
        var cellPlanes = (0..<3).map { c in (0..<(lw * lh)).map { ratio[3 * $0 + c] } }
        let toneAt = cellPlanes.count * plane
        if let chroma { cellPlanes += (0..<3).map { c in chroma.target.map { $0[c] } } }
        let shadeAt = cellPlanes.count * plane
        let shades = measuresDetail ? [faceShade, faceShade.map { $0 > 0 ? log(255 * $0) : 0 }] : []
        var planes = [Float](repeating: 0, count: (cellPlanes.count + 2 * shades.count) * plane)
        planes.withUnsafeMutableBufferPointer { out in
            for (k, cells) in cellPlanes.enumerated() {
                CellRows.across(cells, columns: columns, cellRows: lh, into: out.baseAddress! + k * plane)
            }
            for (k, values) in shades.enumerated() {
                for (side, cells) in [columns.first, columns.second].enumerated() {
                    CellRows.gathered(values, cells: cells, cellRows: lh, cellWidth: lw,
                                   into: out.baseAddress! + shadeAt + (2 * k + side) * plane)
                }
            }
        }
        let tint = chroma?.tint ?? .zero
        let toning = detail.map {
            (feature: $0.featurePower, skin: $0.skinPower, socket: $0.socketPower, fade: $0.edgeFade)
        } ?? (feature: 1, skin: 1, socket: 1, fade: 0...1)
        let threshold: Float = 1 / 255
        let none = [Float]()
        face.pixels.withUnsafeMutableBufferPointer { px in
        planes.withUnsafeBufferPointer { planes in
        region.values.withUnsafeBufferPointer { m in
        columns.weights.withUnsafeBufferPointer { tx in
        Self.logLuma.withUnsafeBufferPointer { logLuma in
        (detail?.skin?.values ?? none).withUnsafeBufferPointer { skin in
        (detail?.sockets?.values ?? none).withUnsafeBufferPointer { sockets in
        (detail?.edge?.values ?? none).withUnsafeBufferPointer { edge in
        (detail?.keep.values ?? none).withUnsafeBufferPointer { keep in
        (detail?.flattened?.values ?? none).withUnsafeBufferPointer { flat in
        (chroma?.share.values ?? none).withUnsafeBufferPointer { share in
            let (pixels, cells) = (px.baseAddress!, planes.baseAddress!)
            for y in 0..<h {
                let (y0, y1, ty) = columns.rows(y, cellRows: lh)
                let row = y &* w
                // A channel's cell rows interpolated to this pixel row, from the planes at `at`.
                @inline(__always) func between(_ lanes: PixelRun, _ at: Int) -> PixelRun.RGB {
                    @inline(__always) func channel(_ c: Int) -> PixelRun.V {
                        let top = lanes.load(cells, at &+ c &* plane &+ y0 &* w)
                        let bottom = lanes.load(cells, at &+ c &* plane &+ y1 &* w)
                        return top + (bottom - top) * ty
                    }
                    return PixelRun.RGB(r: channel(0), g: channel(1), b: channel(2))
                }
                for x in stride(from: 0, to: w, by: PixelRun.count) {
                    let lanes = PixelRun(x: x, end: w)
                    let active = lanes.load(m.baseAddress!, row) .> threshold
                    guard any(active) else { continue }
                    let q = pixels + 3 &* (row &+ x)
                    var rgb = lanes.rgb(q)
                    var gain = between(lanes, 0)
                    // The face's detail, log(luma ÷ shading), and the share of it that is known: cells without a
                    // shading (0: no skin of the face near, e.g. under a moustache) are left out of the
                    // interpolation and fade toning and tint out; blended in as 0 they would print the cell grid as
                    // dark lines.
                    var ownDetail = PixelRun.V(repeating: 0), known = PixelRun.V(repeating: -0.0)
                    if measuresDetail {
                        let t = lanes.load(tx.baseAddress!, 0)
                        var logShade = PixelRun.V(repeating: -0.0)
                        // Corners 00, 10, 01, 11: the column's first and second cell, on cell rows y0 and y1.
                        @inline(__always) func corner(_ weight: PixelRun.V, second: Bool, cellRow: Int) {
                            let at = shadeAt &+ (second ? plane : 0) &+ cellRow &* w
                            let valid = weight.replacing(with: 0, where: lanes.load(cells, at) .<= 0)
                            known += valid
                            logShade += valid * lanes.load(cells, at &+ 2 &* plane)
                        }
                        corner((1 - t) * (1 - ty), second: false, cellRow: y0)
                        corner(t * (1 - ty), second: true, cellRow: y0)
                        corner((1 - t) * ty, second: false, cellRow: y1)
                        corner(t * ty, second: true, cellRow: y1)
                        logShade = (logShade / known).replacing(with: 0, where: .!(known .> 1e-6))
                        let shaded = logShade .> 0
                        known.replace(with: 0, where: .!shaded)
                        // R + G + B, exact in floats (0…765; 0 past a short run's end): plus 2²³, the sum is the
                        // low bits.
                        let sums = unsafeBitCast(rgb.r + rgb.g + rgb.b + 8_388_608, to: SIMD8<UInt32>.self) & 0x3FF
                        var logs = PixelRun.V(repeating: 0)
                        for k in 0..<PixelRun.count { logs[k] = logLuma[Int(sums[k])] }
                        ownDetail = (logs - logShade).replacing(with: 0, where: .!shaded)
                    }
                    // The detail is raised to `power` (× (luma ÷ shading)^(power − 1)).
                    var power = PixelRun.V(repeating: 1)
                    if !keep.isEmpty {
                        power = PixelRun.V(repeating: toning.feature)
                        if !skin.isEmpty {
                            var skinPower = PixelRun.V(repeating: toning.skin)
                            if !sockets.isEmpty, toning.socket < toning.skin {
                                let socket = PixelRun.min(lanes.load(sockets.baseAddress!, row), 1)
                                skinPower += (toning.socket - skinPower) * socket
                            }
                            power += (skinPower - toning.feature) * lanes.load(skin.baseAddress!, row)
                        }
                        if !edge.isEmpty {
                            power *= Detail.edgeShare(lanes.load(edge.baseAddress!, row), over: toning.fade)
                        }
                        power = 1 + (power - 1) * (1 - lanes.load(keep.baseAddress!, row)) * known
                        if !flat.isEmpty { power *= 1 - lanes.load(flat.baseAddress!, row) }
                        let softened = known .> 0 .& power .< 1
                        if any(softened) {
                            let argument = (power - 1) * ownDetail
                            var factor = PixelRun.V(repeating: 1)
                            for k in 0..<PixelRun.count where softened[k] { factor[k] = exp(argument[k]) }
                            gain.r *= factor
                            gain.g *= factor
                            gain.b *= factor
                        }
                    }
                    rgb.r *= gain.r
                    rgb.g *= gain.g
                    rgb.b *= gain.b
                    if !share.isEmpty {
                        let s = lanes.load(share.baseAddress!, row)
                        let sharing = s .> 0 .& active
                        if any(sharing) {
                            var toned = between(lanes, toneAt)
                            let tinted = known .> 0
                            if tint != .zero, any(tinted) {
                                // The detail as toned turns the colour as the target's skin turns in its own.
                                // exp(tint × detail) per channel by its (1,1) Padé form: |tint × detail| ≤ 0.75.
                                let d = PixelRun.min(PixelRun.max(power * ownDetail, -1.5), 0.5) * known
                                var turned = toned
                                turned.r *= (2 + tint.x * d) / (2 - tint.x * d)
                                turned.g *= (2 + tint.y * d) / (2 - tint.y * d)
                                turned.b *= (2 + tint.z * d) / (2 - tint.z * d)
                                let scale = 3 / PixelRun.max(turned.r + turned.g + turned.b, 1e-3)
                                toned.r.replace(with: turned.r * scale, where: tinted)
                                toned.g.replace(with: turned.g * scale, where: tinted)
                                toned.b.replace(with: turned.b * scale, where: tinted)
                            }
                            let luma = (rgb.r + rgb.g + rgb.b) / 3
                            rgb.r.replace(with: rgb.r + s * (luma * toned.r - rgb.r), where: sharing)
                            rgb.g.replace(with: rgb.g + s * (luma * toned.g - rgb.g), where: sharing)
                            rgb.b.replace(with: rgb.b + s * (luma * toned.b - rgb.b), where: sharing)
                        }
                    }
                    lanes.store(rgb, to: q, where: active)
                }
            }
        }}}}}}}}}}}
    }

    /// The coarse cell planes laid out along the face's columns for ``multiply(_:by:width:height:region:faceShade:detail:chroma:)``.
    enum CellRows {
        /// Per column of a face `width` pixels wide over cells of `step` pixels: its two cells and the weight
        /// between them (the same on every row).
        struct Columns {
            let first: [Int], second: [Int], weights: [Float]
            let inverse: Float

            init(width: Int, cells: Int, step: Int) {
                inverse = 1 / Float(step)
                var (first, second, weights) = ([Int](), [Int](), [Float]())
                for x in 0..<width {
                    let fx = Swift.min(Swift.max((Float(x) + 0.5) * inverse - 0.5, 0), Float(cells - 1))
                    let x0 = Int(fx)
                    first.append(x0)
                    second.append(Swift.min(x0 + 1, cells - 1))
                    weights.append(fx - Float(x0))
                }
                (self.first, self.second, self.weights) = (first, second, weights)
            }

            /// Pixel row `y`'s two cell rows and the weight between them.
            @inline(__always)
            func rows(_ y: Int, cellRows: Int) -> (Int, Int, Float) {
                let fy = Swift.min(Swift.max((Float(y) + 0.5) * inverse - 0.5, 0), Float(cellRows - 1))
                let y0 = Int(fy)
                return (y0, Swift.min(y0 + 1, cellRows - 1), fy - Float(y0))
            }
        }

        /// A cell plane (`cellRows` rows of cells) interpolated along each of its rows at every column, into
        /// `out` (`cellRows` rows of the face's width).
        static func across(_ cells: [Float], columns: Columns, cellRows: Int, into out: UnsafeMutablePointer<Float>) {
            let w = columns.weights.count, cellWidth = cells.count / cellRows
            cells.withUnsafeBufferPointer { c in
            columns.first.withUnsafeBufferPointer { first in
            columns.second.withUnsafeBufferPointer { second in
            columns.weights.withUnsafeBufferPointer { weights in
                for cy in 0..<cellRows {
                    let row = c.baseAddress! + cy * cellWidth, line = out + cy * w
                    for x in 0..<w {
                        let a = row[first[x]], b = row[second[x]]
                        line[x] = a + (b - a) * weights[x]
                    }
                }
            }}}}
        }

        /// A cell plane's value at each column's cell `cells[x]`, per cell row, into `out`.
        static func gathered(_ values: [Float], cells: [Int], cellRows: Int, cellWidth: Int,
                             into out: UnsafeMutablePointer<Float>) {
            let w = cells.count
            values.withUnsafeBufferPointer { v in
            cells.withUnsafeBufferPointer { cells in
                for cy in 0..<cellRows {
                    let row = v.baseAddress! + cy * cellWidth, line = out + cy * w
                    for x in 0..<w { line[x] = row[cells[x]] }
                }
            }}
        }
    }
}

extension Relighting.Detail {
    /// ``edgeShare(_:over:)`` of each lane of a ``PixelRun``.
    @inline(__always) static func edgeShare(_ m: PixelRun.V, over fade: ClosedRange<Float>) -> PixelRun.V {
        let span = fade.upperBound - fade.lowerBound
        let ramp: PixelRun.V
        if span != 0 {
            let t = PixelRun.min(PixelRun.max((m - fade.lowerBound) / span, 0), 1)
            ramp = t * t * (3 - 2 * t)
        } else {
            ramp = PixelRun.V(repeating: 0).replacing(with: 1, where: m .>= fade.upperBound)
        }
        return ramp.replacing(with: 1, where: .!(m .< fade.upperBound))
    }
}
