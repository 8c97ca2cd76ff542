/// The 468 FaceMesh landmarks of one face, in frame pixels (z in the same pixel scale, more negative = nearer).
public struct FaceLandmarks: Sendable, Equatable {
    /// 468 points (x, y, z).
    public var points: [SIMD3<Float>]
    /// Face-presence probability from the landmark network, 0…1.
    public var presence: Float

    public init(points: [SIMD3<Float>], presence: Float) {
        self.points = points
        self.presence = presence
    }

    /// The points projected to the image plane.
    public var points2D: [SIMD2<Float>] { points.map { SIMD2($0.x, $0.y) } }
}

/// Head orientation in degrees: yaw (turn left/right), pitch (nod), roll (tilt).
public struct HeadPose: Sendable, Equatable, Codable {
    public var yaw: Float
    public var pitch: Float
    public var roll: Float

    public init(yaw: Float, pitch: Float, roll: Float) {
        self.yaw = yaw
        self.pitch = pitch
        self.roll = roll
    }
}
