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
/// are judged alike, ``LineContrast``), counted where the arc holds a thin line that stands above both parallels
/// inside and outside it. Both eyes and both halves of each arc must hold it: a frame's rim does,
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
    /// Arc score that is full evidence: on 16 clips without glasses single frames score up to 0.31 (0.08–0.22 on
    /// average per clip), the clear frames of `glasses_headturn_hands_d12` 0.34 on average, thin metal ones 0.5 and
    /// more. A face without glasses then stays under ``GlassesDetector/presentAbove`` on every frame, unsmoothed.
    static let fullScore: Float = 0.55
    /// Eye distance in frame pixels below which the rims are not looked for: a rim is then under 3 pixels wide, and
    /// faint lines that thin are the compression's and the skin's as often as a frame's.
    static let minimumEyeDistance: Float = 64

    /// The stretch of the eye band resampled (eye distances along and across the eye line): the arcs, and room
    /// round them for the local line level.
    static let band = (along: Float(-1.05)...1.05, across: Float(-0.4)...0.95)

    /// The lower-rim evidence (0…1) of the face with `points` in `image` (swap space).
    static func evidence(in image: RGBImage, points: [SIMD2<Float>], axis: EyeAxis) -> Float {
        let lines = LineContrast(image: image, axis: axis, along: band.along, across: band.across)
        let eyes = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map { ring in
            ring.map { axis.coordinates(of: points[$0]) }
        }
        let centres = eyes.map { $0.reduce(SIMD2<Float>.zero, +) / Float($0.count) }
        let lid = zip(eyes, centres).map { eye, c in eye.map { $0.y - c.y }.max() ?? 0 }.max() ?? 0
        // The arcs in the band's pixels: per eye its centre; per angle the unit arc's step along the eye line
        // (outwards: the right eye, first, lies on the axis's negative side) and across it.
        let ppe = LineContrast.pixelsPerEye
        let pixelCentres = centres.map(lines.pixel)
        let sideways = [Float(-1), 1].map { side in angles.map { SIMD2(side * cos($0 * .pi / 180), 0) } }
        let downwards = angles.map { SIMD2(0, sin($0 * .pi / 180)) }
        let half = angles.count / 2
        var best: Float = 0
        lines.withHeld { held in
            for along in alongRange {
                for shape in shapeRange {
                    let (a, b) = (along, shape * along)
                    for dy in shiftsAcross where dy + b >= lid + lidClearance {
                        for dx in shiftsAlong {
                            let shift = ppe * SIMD2(dx, dy)
                            var score = Float.infinity
                            for e in 0..<2 where score > best {
                                var halves = SIMD2<Float>.zero
                                for i in angles.indices {
                                    let (side, down) = (sideways[e][i], downwards[i])
                                    let onArc = pixelCentres[e] + shift + ppe * (a * side + b * down)
                                    let h = held(onArc, side + down)
                                    if i < half { halves.x += h } else { halves.y += h }
                                }
                                score = min(score, halves.x / Float(half), halves.y / Float(angles.count - half))
                            }
                            best = max(best, score)
                        }
                    }
                }
            }
        }
        return min(1, best / fullScore)
    }
}
