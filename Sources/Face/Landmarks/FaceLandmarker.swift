import Foundation
import Imaging
import Neural
import Stream

/// FaceMesh (MediaPipe): 468 3-D landmarks from a rotated square crop of the face.
///
/// Owns its executor's buffers, so one landmarker serves one thread; landmarkers can share a loaded ``Graph``.
public final class FaceLandmarker {
    /// How the landmarker filters its results.
    public struct Options: Sendable, Equatable {
        /// Minimum face-presence probability for ``FaceLandmarker/landmarks(in:roi:)`` to return landmarks.
        public var presenceThreshold: Float = 0.5
        public init(presenceThreshold: Float = 0.5) { self.presenceThreshold = presenceThreshold }
    }

    /// The graph does not look like FaceMesh.
    public struct IncompatibleModel: Error, CustomStringConvertible {
        public let description: String
    }

    /// Crop side in pixels.
    public static let inputSize = 192
    public var options: Options
    private let executor: GraphExecutor
    private let pointsOutput: Int
    private let flagOutput: Int

    /// Loads FaceMesh found by `locator`.
    public convenience init(options: Options = Options(), locator: ModelLocator = ModelLocator()) throws {
        try self.init(graph: try locator.graph(for: .landmarks), options: options)
    }

    /// Uses an already loaded FaceMesh graph.
    public init(graph: Graph, options: Options = Options()) throws {
        let s = Self.inputSize
        let count = FaceMeshTopology.pointCount
        guard graph.inputShapes == [[1, s, s, 3]],
              let points = graph.outputShapes.firstIndex(where: { $0.count == count * 3 }),
              let flag = graph.outputShapes.firstIndex(where: { $0.count == 1 })
        else {
            throw IncompatibleModel(description: "FaceMesh expects input [1×\(s)×\(s)×3] and outputs of \(count * 3) and 1 values; model has \(graph.inputShapes) → \(graph.outputShapes)")
        }
        self.options = options
        pointsOutput = points
        flagOutput = flag
        executor = GraphExecutor(graph: graph)
    }

    /// The region for a fresh detection: box centre, 1.5 × the longer box side, eye line (keypoints 0 → 1) level.
    public static func roi(from detection: FaceDetection) -> FaceROI {
        let box = detection.box
        let k = detection.keypoints
        let rotation = k.count >= 2 ? FaceROI.angle(from: k[0], to: k[1]) : 0
        return FaceROI(center: box.center, side: max(box.width, box.height) * FaceROI.expansion, rotation: rotation)
    }

    /// The region for tracking from the previous frame's landmarks: their bounding box, 1.5 × its longer side,
    /// rotation from the right eye's outer corner (33) to the left eye's (263).
    public static func roi(from landmarks: FaceLandmarks) -> FaceROI {
        FaceROI(landmarks: landmarks.points2D)
    }

    /// Landmarks of the face in `roi`, in frame pixels, or nil when the presence score is below the threshold.
    public func landmarks(in image: RGBImage, roi: FaceROI) -> FaceLandmarks? {
        let result = run(image, roi)
        return result.presence >= options.presenceThreshold ? result : nil
    }

    /// Runs the network on the crop and maps the points back to the frame, whatever the presence score.
    func run(_ image: RGBImage, _ roi: FaceROI) -> FaceLandmarks {
        let s = Float(Self.inputSize)
        let origin = roi.framePoint(.zero)
        let axisX = (roi.framePoint(SIMD2(1, 0)) - origin) / s
        let axisY = (roi.framePoint(SIMD2(0, 1)) - origin) / s
        executor.withInput {
            ImageSampler.warp(image, origin: origin, axisX: axisX, axisY: axisY, size: Self.inputSize,
                              scale: 1 / 255, offset: 0, into: $0)
        }
        executor.run()
        let presence = executor.withOutput(flagOutput) { sigmoid($0[0]) }
        let points = executor.withOutput(pointsOutput) { raw in
            (0..<FaceMeshTopology.pointCount).map { i in
                let p = roi.framePoint(SIMD2(raw[3 * i], raw[3 * i + 1]) / s)
                return SIMD3(p.x, p.y, raw[3 * i + 2] / s * roi.side)
            }
        }
        return FaceLandmarks(points: points, presence: presence)
    }
}
