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

    public let model: Model
    public var options: Options
    private let network: SSDDetectorNetwork

    /// Loads the `model` network found by `locator`.
    public convenience init(model: Model = .shortRange, options: Options = Options(), locator: ModelLocator = ModelLocator()) throws {
        try self.init(model: model, graph: try locator.graph(for: model.file), options: options)
    }

    /// Uses an already loaded graph of `model` (e.g. shared between threads).
    public init(model: Model, graph: Graph, options: Options = Options()) throws {
        self.model = model
        self.options = options
        do {
            // x/127.5 − 1 → [−1, 1]; the letterbox border is black (−1).
            network = try SSDDetectorNetwork(graph: graph, inputSize: model.inputSize, anchors: model.anchors,
                                             keypointCount: 6, pixelScale: 1 / 127.5, pixelOffset: -1)
        } catch {
            throw IncompatibleModel(description: "\(model) detector \(error)")
        }
    }

    /// Faces in `image`, in frame pixels, sorted and limited by ``options``.
    public func detect(in image: RGBImage) -> [FaceDetection] {
        let w = Float(image.width), h = Float(image.height)
        var candidates: [FaceDetection] = network.candidates(in: image, region: (0, 0, w, h), scoreThreshold: options.scoreThreshold)
        if let tiles = options.tiles {
            for tile in tiles.regions(width: image.width, height: image.height) {
                candidates += network.candidates(in: image, region: tile, scoreThreshold: options.scoreThreshold)
            }
        }
        var faces = WeightedNMS.apply(candidates, iouThreshold: options.iouThreshold)
        faces = options.sortOrder.sorted(faces, width: image.width, height: image.height)
        if let maxFaces = options.maxFaces { faces = Array(faces.prefix(max(0, maxFaces))) }
        return faces
    }
}
