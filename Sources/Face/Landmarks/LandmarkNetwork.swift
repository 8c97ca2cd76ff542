import Imaging
import Neural
import Stream

/// How a landmarker (``FaceLandmarker``, ``HandLandmarker``) filters its results.
public struct LandmarkerOptions: Sendable, Equatable {
    /// Minimum presence probability for `landmarks(in:roi:)` to return landmarks (MediaPipe's default 0.5).
    public var presenceThreshold: Float = 0.5
    public init(presenceThreshold: Float = 0.5) { self.presenceThreshold = presenceThreshold }
}

/// The part MediaPipe's landmark networks (FaceMesh, hand landmarks) share: sample a rotated square crop of the
/// frame into the input (values 0…1), run the graph, and map the `x, y, z` points it gives in crop pixels back to
/// the frame (z scaled like x). Owns its executor's buffers: one per thread.
struct LandmarkNetwork {
    let inputSize: Int
    private let executor: GraphExecutor
    private let pointsOutput: Int
    private let pointCount: Int

    /// Checks the input shape (`[1, inputSize, inputSize, 3]`); `describe` says what the caller expects, for the
    /// error. The caller has found `pointsOutput` (`pointCount × 3` values).
    init(graph: Graph, inputSize: Int, pointsOutput: Int, pointCount: Int,
         describe: @autoclosure () -> String) throws(IncompatibleModel) {
        guard graph.inputShapes == [[1, inputSize, inputSize, 3]], graph.outputShapes[pointsOutput].count == pointCount * 3 else {
            throw IncompatibleModel(description: describe())
        }
        self.inputSize = inputSize
        self.pointsOutput = pointsOutput
        self.pointCount = pointCount
        executor = GraphExecutor(graph: graph)
    }

    /// Runs the network on `roi`'s crop of `image`; returns the points in frame pixels (z in the same scale).
    /// `mirrored` feeds the crop flipped left to right (a network trained on one side, as the iris model on left
    /// eyes) and flips the points back. The other outputs can be read with ``scalar(_:)`` until the next run.
    func run(_ image: RGBImage, _ roi: FaceROI, mirrored: Bool = false) -> [SIMD3<Float>] {
        let s = Float(inputSize)
        // Crop fraction (u, v) as the network sees it → fraction of the ROI.
        let unflip = { (u: SIMD2<Float>) in mirrored ? SIMD2(1 - u.x, u.y) : u }
        let origin = roi.framePoint(unflip(.zero))
        let axisX = (roi.framePoint(unflip(SIMD2(1, 0))) - origin) / s
        let axisY = (roi.framePoint(unflip(SIMD2(0, 1))) - origin) / s
        executor.withInput {
            ImageSampler.warp(image, origin: origin, axisX: axisX, axisY: axisY, size: inputSize,
                              scale: 1 / 255, offset: 0, into: $0)
        }
        executor.run()
        return executor.withOutput(pointsOutput) { raw in
            (0..<pointCount).map { i in
                let p = roi.framePoint(unflip(SIMD2(raw[3 * i], raw[3 * i + 1]) / s))
                return SIMD3(p.x, p.y, raw[3 * i + 2] / s * roi.side)
            }
        }
    }

    /// The first value of output `index` of the last run.
    func scalar(_ index: Int) -> Float { executor.withOutput(index) { $0[0] } }
}
