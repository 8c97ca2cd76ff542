import Foundation
import Imaging
import Neural
import Stream

/// MediaPipe's hand landmark network: 21 3-D points, hand presence and handedness from a rotated square crop.
///
/// Owns its executor's buffers, so one landmarker serves one thread; landmarkers can share a loaded ``Graph``.
public final class HandLandmarker {
    /// How the landmarker filters its results (minimum hand presence).
    public typealias Options = LandmarkerOptions

    /// Crop side in pixels.
    public static let inputSize = 224
    public var options: Options
    private let network: LandmarkNetwork
    private let presenceOutput: Int
    private let handednessOutput: Int

    /// Loads the hand landmark network found by `locator`.
    public convenience init(options: Options = Options(), locator: ModelLocator = ModelLocator()) throws {
        try self.init(graph: try locator.graph(for: .handLandmarks), options: options)
    }

    /// Uses an already loaded hand landmark graph.
    public init(graph: Graph, options: Options = Options()) throws {
        let s = Self.inputSize, count = HandLandmarks.pointCount * 3
        // Outputs by name (the 63-value screen and world landmark outputs have the same shape).
        let expected = "hand landmarks expect input [1×\(s)×\(s)×3] and outputs Identity (\(count) values), Identity_1 and Identity_2 (1 value each); model has \(graph.inputShapes) → \(zip(graph.outputNames, graph.outputShapes).map { "\($0) \($1)" })"
        guard let points = graph.outputIndex(named: "Identity"),
              let presence = graph.outputIndex(named: "Identity_1"), graph.outputShapes[presence].count == 1,
              let handedness = graph.outputIndex(named: "Identity_2"), graph.outputShapes[handedness].count == 1
        else { throw IncompatibleModel(description: expected) }
        network = try LandmarkNetwork(graph: graph, inputSize: s, pointsOutput: points, pointCount: HandLandmarks.pointCount,
                                      describe: expected)
        self.options = options
        presenceOutput = presence
        handednessOutput = handedness
    }

    /// The crop for a fresh palm detection (MediaPipe): the palm box turned so that wrist → middle-finger base
    /// points up, moved half a box towards the fingers, square on the longer side × 2.6, so the whole hand fits.
    public static func roi(from palm: PalmDetection) -> FaceROI {
        let k = palm.keypoints
        let rotation = k.count > 2 ? uprightRotation(from: k[PalmDetection.wrist], to: k[PalmDetection.middleFingerBase]) : 0
        return transformed(center: palm.box.center, width: palm.box.width, height: palm.box.height, rotation: rotation,
                           shift: -0.5, scale: 2.6)
    }

    /// The crop for tracking from this frame's landmarks (MediaPipe): rotation from the wrist towards the middle of
    /// the finger bases, the rotated box around the palm and the fingers' first joints, moved 0.1 towards the
    /// fingers, square on the longer side × 2.
    public static func roi(from landmarks: HandLandmarks) -> FaceROI {
        let p = landmarks.points2D
        let knuckles = ((p[5] + p[13]) / 2 + p[9]) / 2
        let rotation = uprightRotation(from: p[HandLandmarks.wrist], to: knuckles)
        let subset = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18].map { p[$0] }
        // Box in the hand's own (rotated) frame, around the axis-aligned box's centre.
        let pivot = BoundingBox(bounding: subset).center
        let (s, c) = (sin(rotation), cos(rotation))
        let local = subset.map { q -> SIMD2<Float> in
            let d = q - pivot
            return SIMD2(c * d.x + s * d.y, -s * d.x + c * d.y)
        }
        let box = BoundingBox(bounding: local)
        let mid = box.center
        let center = pivot + SIMD2(c * mid.x - s * mid.y, s * mid.x + c * mid.y)
        return transformed(center: center, width: box.width, height: box.height, rotation: rotation, shift: -0.1, scale: 2)
    }

    /// Rotation that makes the direction `from` → `to` point up in the crop (MediaPipe's target angle 90°).
    static func uprightRotation(from a: SIMD2<Float>, to b: SIMD2<Float>) -> Float {
        Float.pi / 2 + atan2(b.y - a.y, b.x - a.x)
    }

    /// MediaPipe's rect transformation: shift along the crop's y axis by `shift` × height, square on the longer
    /// side, scale.
    private static func transformed(center: SIMD2<Float>, width: Float, height: Float, rotation: Float, shift: Float,
                                    scale: Float) -> FaceROI {
        let (s, c) = (sin(rotation), cos(rotation))
        let moved = center + SIMD2(-height * shift * s, height * shift * c)
        return FaceROI(center: moved, side: max(width, height) * scale, rotation: rotation)
    }

    /// Landmarks of the hand in `roi`, in frame pixels, or nil when the presence score is below the threshold.
    public func landmarks(in image: RGBImage, roi: FaceROI) -> HandLandmarks? {
        let result = run(image, roi)
        return result.presence >= options.presenceThreshold ? result : nil
    }

    /// Runs the network on the crop and maps the points back to the frame, whatever the presence score.
    func run(_ image: RGBImage, _ roi: FaceROI) -> HandLandmarks {
        let points = network.run(image, roi)
        return HandLandmarks(points: points, presence: network.scalar(presenceOutput),
                             rightHandedness: network.scalar(handednessOutput))
    }
}
