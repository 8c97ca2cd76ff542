import Foundation
import Imaging
import Neural
import Stream

/// The part MediaPipe's SSD detectors (BlazeFace, the palm detector) share: letterbox a frame region into the
/// square input, run the network, decode every anchor above the score threshold into a box and keypoints.
///
/// Regressor rows hold, in input pixels relative to the anchor centre: box centre x, y, width, height, then x, y of
/// each keypoint. Owns its executor's buffers: one per thread.
final class SSDDetectorNetwork {
    /// The graph's input or outputs are not those of the detector it was given as.
    struct ShapeMismatch: Error, CustomStringConvertible {
        let description: String
    }

    let inputSize: Int
    let keypointCount: Int
    private let anchors: [SIMD2<Float>]
    /// Input pixel values map to `value · pixelScale + pixelOffset` (the letterbox border is value 0).
    private let pixelScale: Float, pixelOffset: Float
    private let executor: GraphExecutor
    private let boxOutput: Int
    private let scoreOutput: Int

    init(graph: Graph, inputSize: Int, anchors: [SIMD2<Float>], keypointCount: Int, pixelScale: Float,
         pixelOffset: Float) throws(ShapeMismatch) {
        let s = inputSize, n = anchors.count, values = 4 + 2 * keypointCount
        guard graph.inputShapes == [[1, s, s, 3]] else {
            throw ShapeMismatch(description: "expects input [1×\(s)×\(s)×3], model has \(graph.inputShapes)")
        }
        let shapes = graph.outputShapes
        guard let boxes = shapes.firstIndex(of: [1, n, values]), let scores = shapes.firstIndex(of: [1, n, 1]) else {
            throw ShapeMismatch(description: "expects outputs [1×\(n)×\(values)] and [1×\(n)×1], model has \(shapes)")
        }
        self.inputSize = inputSize
        self.keypointCount = keypointCount
        self.anchors = anchors
        self.pixelScale = pixelScale
        self.pixelOffset = pixelOffset
        boxOutput = boxes
        scoreOutput = scores
        executor = GraphExecutor(graph: graph)
    }

    /// Decoded detections above `scoreThreshold` in `region` of `image` (frame pixels), before NMS.
    func candidates<S>(
        in image: RGBImage, region: (x: Float, y: Float, width: Float, height: Float), scoreThreshold: Float
    ) -> [Detection<S>] {
        let size = inputSize
        let box = executor.withInput {
            ImageSampler.letterbox(image, region: region, size: size, scale: pixelScale, offset: pixelOffset, into: $0)
        }
        executor.run()
        let logitThreshold = log(scoreThreshold / (1 - scoreThreshold))
        let s = Float(size), stride = 4 + 2 * keypointCount
        return executor.withOutput(scoreOutput) { scores in
            executor.withOutput(boxOutput) { boxes in
                var found: [Detection<S>] = []
                for i in anchors.indices {
                    guard scores[i] > logitThreshold else { continue }
                    let a = anchors[i], row = i * stride
                    let centre = SIMD2(boxes[row], boxes[row + 1]) / s + a
                    let half = SIMD2(boxes[row + 2], boxes[row + 3]) / s / 2
                    guard half.x > 0, half.y > 0 else { continue }
                    let lo = box.framePoint(centre - half), hi = box.framePoint(centre + half)
                    let keypoints = (0..<keypointCount).map { k in
                        box.framePoint(SIMD2(boxes[row + 4 + 2 * k], boxes[row + 5 + 2 * k]) / s + a)
                    }
                    found.append(Detection<S>(box: BoundingBox(x: lo.x, y: lo.y, width: hi.x - lo.x, height: hi.y - lo.y),
                                   score: sigmoid(scores[i]), keypoints: keypoints))
                }
                return found
            }
        }
    }
}
