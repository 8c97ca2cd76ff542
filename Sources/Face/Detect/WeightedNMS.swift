import Imaging

/// MediaPipe's weighted ("blending") non-maximum suppression.
///
/// Repeatedly takes the best remaining detection, gathers every remaining detection overlapping it by more than
/// `iouThreshold` (itself included), and emits their score-weighted mean box and keypoints with the best score.
enum WeightedNMS {
    static func apply<S>(_ detections: [Detection<S>], iouThreshold: Float) -> [Detection<S>] {
        var remaining = detections.sorted { $0.score > $1.score }
        var result: [Detection<S>] = []
        while let best = remaining.first {
            var cluster: [Detection<S>] = []
            var rest: [Detection<S>] = []
            for d in remaining {
                if best.box.iou(d.box) > iouThreshold || cluster.isEmpty { cluster.append(d) } else { rest.append(d) }
            }
            remaining = rest
            let total = cluster.reduce(0) { $0 + $1.score }
            var lo = SIMD2<Float>.zero, hi = SIMD2<Float>.zero
            var keypoints = [SIMD2<Float>](repeating: .zero, count: best.keypoints.count)
            for d in cluster {
                let w = d.score / total
                lo += w * SIMD2(d.box.x, d.box.y)
                hi += w * SIMD2(d.box.x + d.box.width, d.box.y + d.box.height)
                for k in keypoints.indices where k < d.keypoints.count { keypoints[k] += w * d.keypoints[k] }
            }
            result.append(Detection<S>(box: BoundingBox(x: lo.x, y: lo.y, width: hi.x - lo.x, height: hi.y - lo.y),
                            score: best.score, keypoints: keypoints))
        }
        return result
    }
}
