import Imaging
import Neural
import Stream

/// Finds palms with MediaPipe's palm detector: letterboxed 192² input in [0, 1], 2016 SSD anchors (strides 8, 16,
/// 16, 16; two per cell), a box and seven keypoints per anchor, weighted NMS.
///
/// Owns its executor's buffers, so one detector serves one thread; detectors can share a loaded ``Graph``.
public final class PalmDetector {
    /// How the detector filters.
    public struct Options: Sendable, Equatable {
        /// Minimum palm score (probability), MediaPipe's default 0.5.
        public var scoreThreshold: Float = 0.5
        /// Overlap above which detections merge in the weighted NMS (MediaPipe: 0.3).
        public var iouThreshold: Float = 0.3

        public init(scoreThreshold: Float = 0.5, iouThreshold: Float = 0.3) {
            self.scoreThreshold = scoreThreshold
            self.iouThreshold = iouThreshold
        }
    }

    public static let inputSize = 192
    public var options: Options
    private let network: SSDDetectorNetwork

    /// Loads the palm detector found by `locator`.
    public convenience init(options: Options = Options(), locator: ModelLocator = ModelLocator()) throws {
        try self.init(graph: try locator.graph(for: .palmDetector), options: options)
    }

    /// Uses an already loaded palm detection graph.
    public init(graph: Graph, options: Options = Options()) throws {
        self.options = options
        do {
            network = try SSDDetectorNetwork(
                graph: graph, inputSize: Self.inputSize,
                anchors: SSDAnchors.centres(inputSize: Self.inputSize, strides: [8, 16, 16, 16], anchorsPerLayer: 2),
                keypointCount: 7, pixelScale: 1 / 255, pixelOffset: 0)
        } catch {
            throw IncompatibleModel(description: "palm detector \(error)")
        }
    }

    /// Palms in `region` of `image` (the whole image when nil), in frame pixels, best first.
    public func detect(in image: RGBImage, region: BoundingBox? = nil) -> [PalmDetection] {
        let area = region ?? BoundingBox(x: 0, y: 0, width: Float(image.width), height: Float(image.height))
        let candidates: [PalmDetection] = network.candidates(
            in: image, region: (area.x, area.y, area.width, area.height), scoreThreshold: options.scoreThreshold)
        return WeightedNMS.apply(candidates, iouThreshold: options.iouThreshold)
    }
}
