import Foundation
import Imaging
import Stream

/// The border figures of one face on one frame: sums the clip-wide figures are ratios of.
struct FrameSeamFigures {
    /// Σ |gradient across the border| of the output and of the original over the border band (luma 0–255 per px).
    var seamOutput = 0.0, seamOriginal = 0.0
    /// Mean over sectors of ΔE(inside, outside) output minus original; nil when no sector had both rings.
    var colourExcess: Double?
    /// Σ thin dark detail of the original (where it has some) and Σ of what the output lost of it.
    var detailOriginal = 0.0, detailLost = 0.0
    /// Σ fine texture (|luma − its blur|, 0–255) of the output and of the original over the same skin pixels.
    var textureOutput = 0.0, textureOriginal = 0.0

    /// Angular sectors around the region's centre in which inside and outside colours are compared: a border runs
    /// over forehead, cheeks and jaw, whose colours differ; each sector compares like with like.
    static let sectors = 16
    /// Depth (share of the face width) from the region's edge at which the inner colour ring starts.
    static let featherAllowance: Float = 0.06
    /// Thin dark detail (black top-hat, 0…1 luma) from which an original pixel counts as detail (≈ 20 levels).
    static let detailThreshold: Float = 0.08
    /// σ (frame pixels) of the blur the fine texture is measured against: grain, pores and freckles a camera
    /// resolves or smooths away, in its own pixels whatever the face's size.
    static let textureSigma: Float = 1.5

    init(region r: ReplacedRegion, original: RGBImage, output: RGBImage) {
        let (w, h) = (r.width, r.height)
        var lumaO = original.lumaPlane(x: r.x0, y: r.y0, width: w, height: h)
        var lumaS = output.lumaPlane(x: r.x0, y: r.y0, width: w, height: h)
        detail(region: r, lumaO: lumaO, lumaS: lumaS)
        texture(region: r, lumaO: lumaO, lumaS: lumaS)

        // Seam: the luma gradient along the region's normal in a band of ±2 px around the border.
        var normal = r.inside
        normal.gaussianBlur(sigma: 3)
        lumaO.gaussianBlur(sigma: 1)
        lumaS.gaussianBlur(sigma: 1)
        let band = ReplacedRegion.ring(r.grown(by: 2), minus: r.grown(by: -2))
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) where band[y * w + x] {
                let i = y * w + x
                let nx = normal.values[i + 1] - normal.values[i - 1], ny = normal.values[i + w] - normal.values[i - w]
                let length = (nx * nx + ny * ny).squareRoot()
                guard length > 1e-4 else { continue }
                func across(_ p: AlphaMask) -> Double {
                    let gx = p.values[i + 1] - p.values[i - 1], gy = p.values[i + w] - p.values[i - w]
                    return Double(abs(gx * nx + gy * ny) / length * 255 / 2)
                }
                seamOutput += across(lumaS)
                seamOriginal += across(lumaO)
            }
        }
        colourExcess = Self.colourExcess(region: r, original: original, output: output)
    }

    /// Thin dark structures of the original inside the region (and its feather), and how much of them the output
    /// lost.
    private mutating func detail(region r: ReplacedRegion, lumaO: AlphaMask, lumaS: AlphaMask) {
        let radius = max(2, Int((0.015 * r.faceWidth).rounded()))
        let dO = ScorePlanes.darkDetail(lumaO, radius: radius), dS = ScorePlanes.darkDetail(lumaS, radius: radius)
        let area = r.grown(by: 3)
        for i in area.values.indices where area.values[i] > 0.5 && dO.values[i] > Self.detailThreshold {
            detailOriginal += Double(dO.values[i])
            detailLost += Double(max(0, dO.values[i] - dS.values[i]))
        }
    }

    /// Fine texture of the skin well inside the region (past a feather's width, the original's features left out)
    /// in both: how crisp or grainy the new face is against the camera's own skin.
    private mutating func texture(region r: ReplacedRegion, lumaO: AlphaMask, lumaS: AlphaMask) {
        let g = max(3, Int((Self.featherAllowance * r.faceWidth).rounded()))
        let skin = r.grown(by: -g)
        var (smoothO, smoothS) = (lumaO, lumaS)
        smoothO.gaussianBlur(sigma: Self.textureSigma)
        smoothS.gaussianBlur(sigma: Self.textureSigma)
        for i in skin.values.indices where skin.values[i] > 0.5 && r.features.values[i] < 0.5 {
            textureOriginal += Double(abs(lumaO.values[i] - smoothO.values[i]) * 255)
            textureOutput += Double(abs(lumaS.values[i] - smoothS.values[i]) * 255)
        }
    }

    /// ΔE between the mean L*a*b* of the skin just inside and just outside the border, per sector, output minus
    /// original, averaged over the sectors weighted by their smaller ring. "Inside" starts past a feather's width
    /// (``featherAllowance`` of the face width), where a blend shows the new face in full: a colour step hidden in
    /// a wide feather still counts. The original's brows, eyes and lips are not skin: on a turned head the inner
    /// ring runs past the mouth's corner, and the lips' colour would count as the skin's.
    private static func colourExcess(region r: ReplacedRegion, original: RGBImage, output: RGBImage) -> Double? {
        let k = max(3, Int((0.04 * r.faceWidth).rounded()))
        let g = max(3, Int((featherAllowance * r.faceWidth).rounded()))
        let inner = ReplacedRegion.ring(r.grown(by: -g), minus: r.grown(by: -(g + k)))
        let outer = ReplacedRegion.ring(r.grown(by: 3 + k), minus: r.grown(by: 3))
        let (w, h) = (r.width, r.height)
        var centre = SIMD2<Double>.zero, count = 0.0
        for y in 0..<h { for x in 0..<w where r.inside.values[y * w + x] > 0.5 { centre += SIMD2(Double(x), Double(y)); count += 1 } }
        guard count > 0 else { return nil }
        centre /= count
        let lab = LabColor()
        // [sector][inside/outside][original/output]: Σ Lab, n
        var sums = [[SIMD4<Double>]](repeating: [SIMD4<Double>](repeating: .zero, count: 4), count: sectors)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let side = inner[i] ? 0 : (outer[i] ? 1 : -1)
                guard side >= 0, r.features.values[i] < 0.5 else { continue }
                let angle = atan2(Double(y) - centre.y, Double(x) - centre.x)
                let sector = min(sectors - 1, Int((angle + .pi) / (2 * .pi) * Double(sectors)))
                let j = 3 * ((r.y0 + y) * original.width + r.x0 + x)
                for (slot, image) in [(2 * side, original), (2 * side + 1, output)] {
                    let c = image.pixels.withUnsafeBufferPointer { lab.lab($0[j], $0[j + 1], $0[j + 2]) }
                    sums[sector][slot] += SIMD4(Double(c.x), Double(c.y), Double(c.z), 1)
                }
            }
        }
        var total = 0.0, weight = 0.0
        for s in sums {
            let n = min(s[0].w, s[2].w)
            guard n >= 10 else { continue }
            func mean(_ v: SIMD4<Double>) -> SIMD3<Double> { SIMD3(v.x, v.y, v.z) / v.w }
            func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
            let original = distance(mean(s[0]), mean(s[2])), output = distance(mean(s[1]), mean(s[3]))
            total += n * (output - original)
            weight += n
        }
        return weight > 0 ? total / weight : nil
    }
}
