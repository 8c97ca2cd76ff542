import Imaging
import Stream

/// The eye band resampled along the eye line at a fixed scale, and its thin-line contrast: the top-hat of the luma
/// divided by its local level, so a sharp, textured face and a soft, blurred one are judged alike. Glasses' rims are
/// read off it (``LowerRims``, ``RimFit``) as lines that stand above both their parallels.
struct LineContrast {
    /// Scale, in pixels per eye distance (about the swap crop's own: 224 pixels, coverage 2.2): thresholds in pixels
    /// mean the same on every face, and a large face costs no more than a small one.
    static let pixelsPerEye: Float = 85
    /// The parallels a line must stand above (eye distances).
    static let parallelOffset: Float = 0.04
    /// Contrast above the parallels (times the local line level) that counts as a full line.
    static let fullContrast: Float = 2

    /// The band's corner (eye distances, ``EyeAxis/coordinates(of:)``) and size in pixels.
    let corner: SIMD2<Float>
    let width: Int, height: Int
    /// Line strength over its local level (σ 0.2 eye distances), and the same grown by a pixel (the line itself may
    /// be a pixel off the sampled path).
    private let contrast: AlphaMask, peak: AlphaMask

    /// The stretch `along` × `across` (eye distances along the eye line and across it, downwards) of `image` round
    /// `axis`.
    init(image: RGBImage, axis: EyeAxis, along: ClosedRange<Float>, across: ClosedRange<Float>) {
        let ppe = Self.pixelsPerEye
        corner = SIMD2(along.lowerBound, across.lowerBound)
        // Rows along the eye line.
        let k = axis.d / ppe, origin = axis.point(corner.x, corner.y)
        let toImage = AffineTransform2D(a: k * axis.u.x, b: k * axis.v.x, tx: origin.x,
                                        c: k * axis.u.y, d: k * axis.v.y, ty: origin.y)
        width = Int(ppe * (along.upperBound - along.lowerBound))
        height = Int(ppe * (across.upperBound - across.lowerBound))
        let rectified = ImageWarper.warp(image, width: width, height: height, outputToSource: toImage)
        let box = EyeBand(covering: rectified)
        let line = box.topHat(box.quietLuma(of: rectified), radius: Int((0.025 * ppe).rounded()))
        // The local level, normalised by the blurred band itself: zero padding would halve it at the band's edges.
        var level = line, reach = AlphaMask(width: width, height: height, values: [Float](repeating: 1, count: width * height))
        level.gaussianBlur(sigma: 0.2 * ppe, clamped: false)
        reach.gaussianBlur(sigma: 0.2 * ppe, clamped: false)
        var contrast = line
        for i in contrast.values.indices {
            contrast.values[i] /= level.values[i] / max(reach.values[i], 1e-3) + 0.005
        }
        var peak = contrast
        peak.erode(pixels: -1)
        (self.contrast, self.peak) = (contrast, peak)
    }

    /// The band's pixel at `p` (eye distances).
    func pixel(_ p: SIMD2<Float>) -> SIMD2<Float> { Self.pixelsPerEye * (p - corner) }

    /// Calls `body` with a sampler of held line strength (0…1): at band pixel `p`, how far a thin line stands above
    /// its parallels ``parallelOffset`` either way along `direction` (a unit vector across the line), over
    /// ``fullContrast``. 0 outside the band.
    func withHeld<Result>(_ body: ((_ p: SIMD2<Float>, _ direction: SIMD2<Float>) -> Float) -> Result) -> Result {
        let offset = Self.parallelOffset * Self.pixelsPerEye
        let (width, height) = (width, height)
        return contrast.values.withUnsafeBufferPointer { contrast in
            peak.values.withUnsafeBufferPointer { peak in
                func sample(_ map: UnsafeBufferPointer<Float>, _ p: SIMD2<Float>) -> Float {
                    let (x, y) = (Int(p.x.rounded()), Int(p.y.rounded()))
                    return x >= 0 && y >= 0 && x < width && y < height ? map[y * width + x] : 0
                }
                return body { p, direction in
                    let step = offset * direction
                    let beside = max(sample(contrast, p - step), sample(contrast, p + step))
                    return min(1, max(0, sample(peak, p) - beside) / Self.fullContrast)
                }
            }
        }
    }
}
