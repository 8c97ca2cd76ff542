import Foundation
import Imaging
import Neural
import Stream

/// FaceMesh (MediaPipe): 468 3-D landmarks from a rotated square crop of the face, with the lids from the iris
/// network (``EyeLandmarker``) when it is given one.
///
/// Owns its executor's buffers, so one landmarker serves one thread; landmarkers can share a loaded ``Graph``.
public final class FaceLandmarker {
    /// How the landmarker filters its results (minimum face presence).
    public typealias Options = LandmarkerOptions

    /// Crop side in pixels.
    public static let inputSize = 192
    public var options: Options
    private let network: LandmarkNetwork
    private let flagOutput: Int
    /// Refines the lids (FaceMesh's own eye points stay nearly open through a blink); nil leaves them as they are.
    private let eyes: EyeLandmarker?

    /// Loads FaceMesh and the iris model (for the lids) found by `locator`.
    public convenience init(options: Options = Options(), locator: ModelLocator = ModelLocator()) throws {
        try self.init(graph: try locator.graph(for: .landmarks), options: options,
                      eyes: try EyeLandmarker(locator: locator))
    }

    /// Uses an already loaded FaceMesh graph, and `eyes` for the lids.
    public init(graph: Graph, options: Options = Options(), eyes: EyeLandmarker? = nil) throws {
        self.eyes = eyes
        let s = Self.inputSize
        let count = FaceMeshTopology.pointCount
        let expected = "FaceMesh expects input [1×\(s)×\(s)×3] and outputs of \(count * 3) and 1 values; model has \(graph.inputShapes) → \(graph.outputShapes)"
        guard let points = graph.outputShapes.firstIndex(where: { $0.count == count * 3 }),
              let flag = graph.outputShapes.firstIndex(where: { $0.count == 1 })
        else { throw IncompatibleModel(description: expected) }
        network = try LandmarkNetwork(graph: graph, inputSize: s, pointsOutput: points, pointCount: count, describe: expected)
        self.options = options
        flagOutput = flag
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
        guard result.presence >= options.presenceThreshold else { return nil }
        return eyes?.refine(result, in: image) ?? result
    }

    /// Landmarks of a face the detector found, from the detection's crop, recut from the landmarks' own box and eye
    /// line while that turns the crop by more than ``recutAngle`` (at most ``maxRecuts`` times); nil when the first
    /// crop's presence score is below the threshold.
    ///
    /// BlazeFace's eye keypoints set the crop's rotation only roughly on a strongly tilted head (lying on one side:
    /// 36° where the eyes' line lies at 90°), and FaceMesh fits a face turned that far in its crop badly: eyes and
    /// mouth misplaced, and the swap laid on askew for the 5–8 frames tracking took to turn the crop round. Upright
    /// faces take the detector's crop as before.
    public func landmarks(in image: RGBImage, detected roi: FaceROI) -> FaceLandmarks? {
        var (result, roi) = (run(image, roi), roi)
        guard result.presence >= options.presenceThreshold else { return nil }
        for _ in 0..<Self.maxRecuts {
            let recut = Self.roi(from: result)
            guard abs(FaceROI.wrapped(recut.rotation - roi.rotation)) > Self.recutAngle else { break }
            let again = run(image, recut)
            guard again.presence >= options.presenceThreshold else { break }
            (result, roi) = (again, recut)
        }
        return eyes?.refine(result, in: image) ?? result
    }

    /// A detection's crop is recut when the landmarks' eye line turns it by more than this (radians, 10°).
    public static let recutAngle: Float = 10 * .pi / 180
    /// At most this many recuts: each turns the crop part of the way (a head lying on its side, 55° off the
    /// detector's crop: −36° → −72° after three, level after six).
    public static let maxRecuts = 6

    /// Runs the network on the crop and maps the points back to the frame, whatever the presence score.
    func run(_ image: RGBImage, _ roi: FaceROI) -> FaceLandmarks {
        let points = network.run(image, roi)
        return FaceLandmarks(points: points, presence: sigmoid(network.scalar(flagOutput)))
    }
}
