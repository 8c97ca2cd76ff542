import Foundation
import Imaging

/// A rotated square region of a frame: what the landmark network crops (MediaPipe's "ROI").
public struct FaceROI: Sendable, Equatable {
    /// Centre in frame pixels.
    public var center: SIMD2<Float>
    /// Side length in frame pixels.
    public var side: Float
    /// Rotation in radians, in [−π, π): the crop's x axis is the frame's x axis turned by this angle
    /// (clockwise on screen, since y points down).
    public var rotation: Float

    public init(center: SIMD2<Float>, side: Float, rotation: Float) {
        self.center = center
        self.side = side
        self.rotation = FaceROI.normalized(rotation)
    }

    /// Crop edge relative to the face box, as MediaPipe uses for FaceMesh.
    public static let expansion: Float = 1.5

    /// The tracking ROI for the next frame from this frame's landmarks (MediaPipe's rule): centre of the tight box
    /// around all points, long side × `scale`, rotation from the right eye's outer corner (33) to the left one (263).
    public init(landmarks points: [SIMD2<Float>], scale: Float = FaceROI.expansion) {
        let box = BoundingBox(bounding: points)
        let from = points[FaceMeshTopology.rightEyeOuter]
        let to = points[FaceMeshTopology.leftEyeOuter]
        self.init(center: box.center, side: max(box.width, box.height) * scale, rotation: FaceROI.angle(from: from, to: to))
    }

    /// Frame point of a crop point given as a fraction (0…1) of the crop: `c + R(θ)·((u − ½)·side, (v − ½)·side)`.
    public func framePoint(_ unit: SIMD2<Float>) -> SIMD2<Float> {
        let d = (unit - 0.5) * side
        let (s, c) = (sin(rotation), cos(rotation))
        return center + SIMD2(c * d.x - s * d.y, s * d.x + c * d.y)
    }

    /// The angle of the line from `a` to `b` (image coordinates, y down), wrapped to [−π, π).
    public static func angle(from a: SIMD2<Float>, to b: SIMD2<Float>) -> Float {
        normalized(atan2(b.y - a.y, b.x - a.x))
    }

    /// The transform from crop pixels of an `n`×`n` crop to frame pixels: crop (u, v) samples frame point
    /// `center + R(rotation)·((u/n − 0.5)·side, (v/n − 0.5)·side)`.
    public func cropToFrame(cropSize n: Int) -> AffineTransform2D {
        let s = side / Float(n)
        let r = AffineTransform2D(scale: s, rotation: rotation, translation: .zero)
        let t = center - r.applyLinear(SIMD2(repeating: Float(n) / 2))
        return AffineTransform2D(a: r.a, b: r.b, tx: t.x, c: r.c, d: r.d, ty: t.y)
    }

    /// The four corners in frame pixels (top-left, top-right, bottom-right, bottom-left of the crop).
    public var corners: [SIMD2<Float>] {
        let m = cropToFrame(cropSize: 1)
        return [SIMD2(0, 0), SIMD2(1, 0), SIMD2(1, 1), SIMD2(0, 1)].map { m.apply($0) }
    }

    /// The axis-aligned box around the ROI.
    public var boundingBox: BoundingBox { BoundingBox(bounding: corners) }

    /// `angle` (radians) wrapped to [−π, π): the signed turn between two rotations.
    public static func wrapped(_ angle: Float) -> Float { normalized(angle) }

    private static func normalized(_ angle: Float) -> Float {
        let twoPi = 2 * Float.pi
        let a = angle - twoPi * (angle / twoPi + 0.5).rounded(.down)
        return a >= Float.pi ? a - twoPi : a
    }
}
