import Foundation

extension HeadPose {
    /// Head orientation from FaceMesh landmarks (frame pixels, z pointing away from the camera).
    ///
    /// Builds the face's frame from the eye corners (33 → 263, the face's x axis) and forehead → chin (10 → 152,
    /// made orthogonal: the y axis); the face looks along −z. Signs: yaw > 0 when the face turns toward the image's
    /// right, pitch > 0 when it looks up, roll > 0 when the eye line tilts clockwise on screen.
    public init(landmarks: FaceLandmarks) {
        let p = landmarks.points
        let x = normalized(p[FaceMeshTopology.leftEyeOuter] - p[FaceMeshTopology.rightEyeOuter])
        var y = p[FaceMeshTopology.chin] - p[FaceMeshTopology.foreheadTop]
        y = normalized(y - (y * x).sum() * x)
        let z = SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
        let forward = -z
        let degrees: Float = 180 / .pi
        self.init(
            yaw: atan2(forward.x, -forward.z) * degrees,
            pitch: atan2(-forward.y, (forward.x * forward.x + forward.z * forward.z).squareRoot()) * degrees,
            roll: atan2(x.y, x.x) * degrees)
    }
}

extension FaceLandmarks {
    /// Head orientation (see ``HeadPose/init(landmarks:)``).
    public var headPose: HeadPose { HeadPose(landmarks: self) }
}

@inline(__always)
private func normalized(_ v: SIMD3<Float>) -> SIMD3<Float> {
    let length = (v * v).sum().squareRoot()
    return length > 0 ? v / length : v
}
