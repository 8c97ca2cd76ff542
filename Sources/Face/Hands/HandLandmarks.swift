import Imaging

/// One hand's 21 landmarks in frame pixels, as MediaPipe's hand landmark network gives them.
///
/// Point order (MediaPipe): 0 wrist; thumb 1 CMC, 2 MCP, 3 IP, 4 tip; index 5 MCP, 6 PIP, 7 DIP, 8 tip; middle 9–12;
/// ring 13–16; pinky 17–20. `z` is depth relative to the wrist in the same pixel scale as x (smaller = nearer).
public struct HandLandmarks: Sendable, Equatable {
    public static let pointCount = 21
    public static let wrist = 0
    public static let middleFingerBase = 9
    /// Each finger as a chain from its base on the palm to its tip (thumb first).
    public static let fingers: [[Int]] = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20]]
    /// The palm's outline points: wrist, thumb base, and the four finger bases.
    public static let palm = [0, 1, 2, 5, 9, 13, 17]

    /// 21 points: x, y in frame pixels, z relative depth in pixels.
    public var points: [SIMD3<Float>]
    /// Hand presence probability from the network, 0…1.
    public var presence: Float
    /// Probability that this is the subject's right hand (for an unmirrored camera image), 0…1.
    public var rightHandedness: Float

    public init(points: [SIMD3<Float>], presence: Float, rightHandedness: Float) {
        self.points = points
        self.presence = presence
        self.rightHandedness = rightHandedness
    }

    public var points2D: [SIMD2<Float>] { points.map { SIMD2($0.x, $0.y) } }

    /// The tight box around the points.
    public var box: BoundingBox { BoundingBox(bounding: points.lazy.map { SIMD2($0.x, $0.y) }) }

    /// A size of the hand that does not change as the fingers bend: the palm's length (wrist to middle-finger base)
    /// or, when the palm is seen edge-on, its width across the finger bases, whichever is larger.
    public var palmSize: Float {
        let p = points2D
        func distance(_ a: Int, _ b: Int) -> Float { ((p[a] - p[b]) * (p[a] - p[b])).sum().squareRoot() }
        return max(distance(Self.wrist, Self.middleFingerBase), 1.2 * distance(5, 17))
    }
}
