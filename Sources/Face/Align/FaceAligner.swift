import Foundation
import Imaging
import Stream

/// Cuts faces into a canonical square: a similarity fit of the landmarks to the canonical face (DeepFaceLive's
/// "from points" mode), then a bilinear warp.
public struct FaceAligner: Sendable {
    /// The unit face: canonical layout units per unit-face size, and the canonical point at the unit square's
    /// centre. Calibrated so the default options reproduce DFL whole-face crops: FaceFusion's 5-point
    /// `dfl_whole_face` template (eye centres, nose tip, mouth corners) is met within ~2 px at 224.
    static let unitSize: Float = 10.67
    static let unitCenter = SIMD2<Float>(0, -0.04)

    /// The canonical layout mapped to the unit square (the fit target).
    static let unitLayout: [SIMD2<Float>] = CanonicalFace.imageLayout.map { ($0 - unitCenter) / unitSize + 0.5 }

    public var alignment: FaceAlignment

    public init(alignment: FaceAlignment = FaceAlignment()) {
        self.alignment = alignment
    }

    /// The frame → aligned-pixel transform for `landmarks` (468 frame points); `yaw` in degrees feeds head mode.
    public func transform(for landmarks: [SIMD2<Float>], yaw: Float = 0) throws(FaceAlignerError) -> AffineTransform2D {
        guard landmarks.count == FaceMeshTopology.pointCount else { throw .wrongLandmarkCount(landmarks.count) }
        do { try alignment.validate() } catch { throw .invalidAlignment(error) }
        let indices = alignment.excludeMovingParts ? FaceMeshTopology.stablePoints : Array(0..<landmarks.count)
        guard var toUnit = SimilarityFit.fit(from: indices.map { landmarks[$0] }, to: indices.map { Self.unitLayout[$0] }),
              toUnit.scale > 1e-6
        else { throw .degenerateLandmarks }

        var coverage = alignment.coverage
        var centre = SIMD2<Float>(0.5 + alignment.xOffset, 0.5 + alignment.yOffset)
        if alignment.headMode {
            let yawRad = yaw * .pi / 180
            coverage += 1
            centre += SIMD2(-yawRad * abs(tanh(2 * yawRad)) * 0.5, -0.25)
        }
        if alignment.freezeRoll {
            // Same scale and same frame point at the crop centre, rotation removed.
            let fromUnit = toUnit.inverted()!
            let anchor = fromUnit.apply(centre)
            let s = toUnit.scale
            toUnit = AffineTransform2D(a: s, b: 0, tx: centre.x - s * anchor.x, c: 0, d: s, ty: centre.y - s * anchor.y)
        }
        // Unit square → pixels: the crop of side `coverage` around `centre` fills [0, resolution).
        let k = Float(alignment.resolution) / coverage
        let origin = centre - coverage / 2
        let toPixels = AffineTransform2D(a: k, b: 0, tx: -k * origin.x - 0.5, c: 0, d: k, ty: -k * origin.y - 0.5)
        return toUnit.concatenating(toPixels)
    }

    /// Aligns the face with `landmarks` in `frame`.
    public func align(_ frame: RGBImage, landmarks: FaceLandmarks, pose: HeadPose? = nil) throws(FaceAlignerError) -> AlignedFace {
        let points = landmarks.points2D
        let m = try transform(for: points, yaw: pose?.yaw ?? 0)
        guard let inverse = m.inverted() else { throw .degenerateLandmarks }
        let n = alignment.resolution
        let crop = ImageWarper.warp(frame, width: n, height: n, outputToSource: inverse)
        return AlignedFace(image: crop, imageToAligned: m, alignedToImage: inverse, landmarks: points.map { m.apply($0) })
    }
}
