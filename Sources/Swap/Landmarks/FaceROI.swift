import Foundation

/// A rotated square region of a frame that the landmark network looks at.
public struct FaceROI: Sendable, Equatable {
    /// Centre, in frame pixels.
    public var center: SIMD2<Float>
    /// Side length, in frame pixels.
    public var size: Float
    /// Rotation in radians (image coordinates, y down: positive turns the crop clockwise on screen), chosen so the
    /// eye line is horizontal in the crop.
    public var rotation: Float

    public init(center: SIMD2<Float>, size: Float, rotation: Float) {
        self.center = center
        self.size = size
        self.rotation = rotation
    }

    /// Frame point of a crop point given as a fraction (0…1) of the crop: `c + R(θ)·((u − ½)·size, (v − ½)·size)`.
    public func framePoint(_ unit: SIMD2<Float>) -> SIMD2<Float> {
        let d = (unit - 0.5) * size
        let (s, c) = (sin(rotation), cos(rotation))
        return center + SIMD2(c * d.x - s * d.y, s * d.x + c * d.y)
    }

    /// Scale factor between the crop edge (1.5 × the face) and the face box, as MediaPipe uses for FaceMesh.
    static let expansion: Float = 1.5

    /// The angle of the line from `a` to `b`, wrapped to [−π, π).
    static func angle(from a: SIMD2<Float>, to b: SIMD2<Float>) -> Float {
        var theta = atan2(b.y - a.y, b.x - a.x)
        if theta >= .pi { theta -= 2 * .pi }
        return theta
    }
}
