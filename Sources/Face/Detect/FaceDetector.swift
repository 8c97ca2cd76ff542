import Foundation
import Imaging
import Neural
import Stream

/// Finds faces with BlazeFace (MediaPipe): letterboxed resample → network → anchor decode → weighted NMS.
///
/// Owns its executor's buffers, so one detector serves one thread; detectors can share a loaded ``Graph``.
public final class FaceDetector {
    /// Which BlazeFace network.
    public enum Model: String, CaseIterable, Sendable {
        /// 128² input; faces filling a good part of the frame (webcam, selfie).
        case shortRange = "short"
        /// 192² input; small and distant faces too.
        case fullRange = "full"

        public var file: FaceModel { self == .shortRange ? .shortRangeDetector : .fullRangeDetector }
        var inputSize: Int { self == .shortRange ? 128 : 192 }
        var anchors: [SIMD2<Float>] {
            self == .shortRange
                ? SSDAnchors.centres(inputSize: 128, strides: [8, 16, 16, 16], anchorsPerLayer: 2)
                : SSDAnchors.centres(inputSize: 192, strides: [4], anchorsPerLayer: 1)
        }
    }

    /// How the detector runs and filters.
    public struct Options: Sendable, Equatable {
        /// Minimum face score (probability), MediaPipe's default 0.5.
        public var scoreThreshold: Float = 0.5
        /// Overlap above which detections merge in the weighted NMS.
        public var iouThreshold: Float = 0.3
        /// Keep at most this many faces (after sorting); nil keeps all.
        public var maxFaces: Int?
        public var sortOrder: FaceSortOrder = .largest
        /// Also run on a grid of overlapping tiles (besides the whole frame) to find faces too small for one pass.
        public var tiles: TileGrid?

        public init(scoreThreshold: Float = 0.5, iouThreshold: Float = 0.3, maxFaces: Int? = nil,
                    sortOrder: FaceSortOrder = .largest, tiles: TileGrid? = nil) {
            self.scoreThreshold = scoreThreshold
            self.iouThreshold = iouThreshold
            self.maxFaces = maxFaces
            self.sortOrder = sortOrder
            self.tiles = tiles
        }
    }

    /// The graph does not look like the BlazeFace network it was given as.
    public struct IncompatibleModel: Error, CustomStringConvertible {
        public let description: String
    }

    public let model: Model
    public var options: Options
    private let executor: GraphExecutor
    private let anchors: [SIMD2<Float>]
    private let boxOutput: Int
    private let scoreOutput: Int

    /// Loads the `model` network found by `locator`.
    public convenience init(model: Model = .shortRange, options: Options = Options(), locator: ModelLocator = ModelLocator()) throws {
        try self.init(model: model, graph: try locator.graph(for: model.file), options: options)
    }

    /// Uses an already loaded graph of `model` (e.g. shared between threads).
    public init(model: Model, graph: Graph, options: Options = Options()) throws {
        self.model = model
        self.options = options
        anchors = model.anchors
        let s = model.inputSize
        guard graph.inputShapes == [[1, s, s, 3]] else {
            throw IncompatibleModel(description: "\(model) detector expects input [1×\(s)×\(s)×3], model has \(graph.inputShapes)")
        }
        let shapes = graph.outputShapes
        guard let boxes = shapes.firstIndex(of: [1, anchors.count, 16]), let scores = shapes.firstIndex(of: [1, anchors.count, 1]) else {
            throw IncompatibleModel(description: "\(model) detector expects outputs [1×\(anchors.count)×16] and [1×\(anchors.count)×1], model has \(shapes)")
        }
        boxOutput = boxes
        scoreOutput = scores
        executor = GraphExecutor(graph: graph)
    }

    /// Faces in `image`, in frame pixels, sorted and limited by ``options``.
    public func detect(in image: RGBImage) -> [FaceDetection] {
        let w = Float(image.width), h = Float(image.height)
        var candidates = candidates(in: image, region: (0, 0, w, h))
        if let tiles = options.tiles {
            for tile in tiles.regions(width: image.width, height: image.height) {
                candidates += self.candidates(in: image, region: tile)
            }
        }
        var faces = WeightedNMS.apply(candidates, iouThreshold: options.iouThreshold)
        faces = options.sortOrder.sorted(faces, width: image.width, height: image.height)
        if let maxFaces = options.maxFaces { faces = Array(faces.prefix(max(0, maxFaces))) }
        return faces
    }

    /// Decoded detections above the score threshold for one region, before NMS.
    private func candidates(in image: RGBImage, region: (x: Float, y: Float, width: Float, height: Float)) -> [FaceDetection] {
        let size = model.inputSize
        // x/127.5 − 1 → [−1, 1]; the letterbox border is black (−1).
        let box = executor.withInput { ImageSampler.letterbox(image, region: region, size: size, scale: 1 / 127.5, offset: -1, into: $0) }
        executor.run()
        let logitThreshold = log(options.scoreThreshold / (1 - options.scoreThreshold))
        let s = Float(size)
        return executor.withOutput(scoreOutput) { scores in
            executor.withOutput(boxOutput) { boxes in
                var found: [FaceDetection] = []
                for i in anchors.indices {
                    guard scores[i] > logitThreshold else { continue }
                    let a = anchors[i]
                    let centre = SIMD2(boxes[i * 16], boxes[i * 16 + 1]) / s + a
                    let half = SIMD2(boxes[i * 16 + 2], boxes[i * 16 + 3]) / s / 2
                    guard half.x > 0, half.y > 0 else { continue }
                    let lo = box.framePoint(centre - half), hi = box.framePoint(centre + half)
                    let keypoints = (0..<6).map { k in
                        box.framePoint(SIMD2(boxes[i * 16 + 4 + 2 * k], boxes[i * 16 + 5 + 2 * k]) / s + a)
                    }
                    found.append(FaceDetection(box: BoundingBox(x: lo.x, y: lo.y, width: hi.x - lo.x, height: hi.y - lo.y),
                                               score: sigmoid(scores[i]), keypoints: keypoints))
                }
                return found
            }
        }
    }
}
