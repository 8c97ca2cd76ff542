import Foundation
import Face
import Imaging
import Stream

/// Evidence of glasses from their lower rims: faint frames (clear or light plastic, blurred by motion) barely show
/// at the nose bridge or past the eye corners, but below each eye their rim runs across the cheek, where a face
/// without glasses has smooth skin or creases that follow no common curve.
///
/// The search: a pair of mirrored elliptic arcs, one below each eye (30°…150° round the eye's centre, shifted
/// together as glasses are when the head turns), over a small grid of sizes. Each arc is scored on thin-line
/// contrast: the top-hat of the luma divided by its local level (so a sharp, textured face and a soft, blurred one
/// are judged alike), counted where the arc holds a thin line that stands above both parallels
/// ``parallelOffset`` inside and outside it. Both eyes and both halves of each arc must hold it: a frame's rim does,
/// an eye bag or a cheek crease fills part of one arc at most.
struct LowerRims {
    /// Arc half-axes: along the eye line (eye distances) and across it (share of the half-axis along).
    static let alongRange: StrideThrough<Float> = stride(from: 0.2, through: 0.32, by: 0.03)
    static let shapeRange: StrideThrough<Float> = stride(from: 0.6, through: 1.1, by: 0.1)
    /// The arcs' common shift from the eyes' centres (eye distances): glasses sit in front of the eyes.
    static let shiftsAcross: [Float] = [-0.08, -0.04, 0, 0.04, 0.08]
    static let shiftsAlong: [Float] = [-0.06, 0, 0.06]
    /// Angles round each eye, in degrees from the outer side, 90 straight down.
    static let angles = Array(stride(from: Float(30), through: 150, by: 5))
    /// How far below the lower lid the arcs stay (eye distances): the lid line and its lashes are no rim.
    static let lidClearance: Float = 0.12
    /// The parallels a rim must stand above (eye distances).
    static let parallelOffset: Float = 0.04
    /// Contrast above the parallels (times the local line level) that counts as a full line.
    static let fullContrast: Float = 2
    /// Arc score that is full evidence: on 16 clips without glasses single frames score up to 0.31 (0.08–0.22 on
    /// average per clip), the clear frames of `glasses_headturn_hands_d12` 0.34 on average, thin metal ones 0.5 and
    /// more. A face without glasses then stays under ``GlassesDetector/presentAbove`` on every frame, unsmoothed.
    static let fullScore: Float = 0.55
    /// Eye distance in frame pixels below which the rims are not looked for: a rim is then under 3 pixels wide, and
    /// faint lines that thin are the compression's and the skin's as often as a frame's.
    static let minimumEyeDistance: Float = 64

    /// Scale the rims are looked for at, in pixels per eye distance (about the swap crop's own: 224 pixels, coverage
    /// 2.2): thresholds in pixels then mean the same on every face, and a large face costs no more than a small one.
    static let pixelsPerEye: Float = 85
    /// The stretch of the eye band resampled (eye distances along and across the eye line): the arcs, and room
    /// round them for the local line level.
    static let band = (across: Float(-1.05)...1.05, down: Float(-0.4)...0.95)

    /// The lower-rim evidence (0…1) of the face with `points` in `image` (swap space).
    static func evidence(in image: RGBImage, points: [SIMD2<Float>], axis: EyeAxis) -> Float {
        // The band rectified: rows along the eye line, `pixelsPerEye` pixels per eye distance.
        let k = axis.d / pixelsPerEye, origin = axis.point(band.across.lowerBound, band.down.lowerBound)
        let toImage = AffineTransform2D(a: k * axis.u.x, b: k * axis.v.x, tx: origin.x,
                                        c: k * axis.u.y, d: k * axis.v.y, ty: origin.y)
        let width = Int(pixelsPerEye * (band.across.upperBound - band.across.lowerBound))
        let height = Int(pixelsPerEye * (band.down.upperBound - band.down.lowerBound))
        let rectified = ImageWarper.warp(image, width: width, height: height, outputToSource: toImage)
        let box = EyeBand(covering: rectified)
        let line = box.topHat(box.luma(of: rectified), radius: Int((0.025 * pixelsPerEye).rounded()))
        // Contrast: line strength over its local level (σ 0.2 d), so texture everywhere does not read as a rim.
        var level = line
        level.gaussianBlur(sigma: 0.2 * pixelsPerEye, clamped: false)
        var contrast = line
        for i in contrast.values.indices { contrast.values[i] /= level.values[i] + 0.005 }
        // The line itself may be a pixel off the sampled arc.
        var peak = contrast
        peak.erode(pixels: -1)

        let eyes = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map { ring in
            ring.map { axis.coordinates(of: points[$0]) }
        }
        let centres = eyes.map { $0.reduce(SIMD2<Float>.zero, +) / Float($0.count) }
        let lid = zip(eyes, centres).map { eye, c in eye.map { $0.y - c.y }.max() ?? 0 }.max() ?? 0
        // The arcs in the band's pixels: per eye its centre; per angle the unit arc's step along the eye line
        // (outwards: the right eye, first, lies on the axis's negative side) and across it.
        let corner = SIMD2(band.across.lowerBound, band.down.lowerBound)
        let pixelCentres = centres.map { pixelsPerEye * ($0 - corner) }
        let sideways = [Float(-1), 1].map { side in angles.map { SIMD2(side * pixelsPerEye * cos($0 * .pi / 180), 0) } }
        let downwards = angles.map { SIMD2(0, pixelsPerEye * sin($0 * .pi / 180)) }
        let half = angles.count / 2
        var best: Float = 0
        contrast.values.withUnsafeBufferPointer { contrast in
            peak.values.withUnsafeBufferPointer { peak in
                /// `map` at pixel `p` of the band, 0 outside it.
                func sample(_ map: UnsafeBufferPointer<Float>, _ p: SIMD2<Float>) -> Float {
                    let (x, y) = (Int(p.x.rounded()), Int(p.y.rounded()))
                    return x >= 0 && y >= 0 && x < box.width && y < box.height ? map[y * box.width + x] : 0
                }
                for along in alongRange {
                    for shape in shapeRange {
                        let (a, b) = (along, shape * along)
                        for dy in shiftsAcross where dy + b >= lid + lidClearance {
                            for dx in shiftsAlong {
                                let shift = pixelsPerEye * SIMD2(dx, dy)
                                var score = Float.infinity
                                for e in 0..<2 where score > best {
                                    var halves = SIMD2<Float>.zero
                                    for i in angles.indices {
                                        let (side, down) = (sideways[e][i], downwards[i])
                                        let onArc = pixelCentres[e] + shift + a * side + b * down
                                        let step = parallelOffset * (side + down)
                                        let beside = max(sample(contrast, onArc - step), sample(contrast, onArc + step))
                                        let held = min(1, max(0, sample(peak, onArc) - beside) / fullContrast)
                                        if i < half { halves.x += held } else { halves.y += held }
                                    }
                                    score = min(score, halves.x / Float(half), halves.y / Float(angles.count - half))
                                }
                                best = max(best, score)
                            }
                        }
                    }
                }
            }
        }
        return min(1, best / fullScore)
    }
}
