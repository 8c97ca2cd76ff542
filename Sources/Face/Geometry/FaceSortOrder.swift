import Imaging
/// The order faces are reported in — by the detector and by the tracker — and so which survive `maxFaces`.
public enum FaceSortOrder: String, CaseIterable, Sendable {
    /// Largest box first.
    case largest
    /// Closest to the frame centre first.
    case center
    /// Highest detector score first (tracked faces carry no score and keep their ID order).
    case confidence
    case leftToRight = "left-to-right"
    case rightToLeft = "right-to-left"
    case topToBottom = "top-to-bottom"
    case bottomToTop = "bottom-to-top"

    /// The sort key of a face (smaller comes first).
    public func key(box: BoundingBox, score: Float, frameSize: SIMD2<Float>) -> Float {
        let mid = frameSize / 2
        switch self {
        case .largest: return -box.area
        case .center: return ((box.center - mid) * (box.center - mid)).sum()
        case .confidence: return -score
        case .leftToRight: return box.center.x
        case .rightToLeft: return -box.center.x
        case .topToBottom: return box.center.y
        case .bottomToTop: return -box.center.y
        }
    }

    /// Sorts detections found in a `width`×`height` frame.
    func sorted(_ faces: [FaceDetection], width: Int, height: Int) -> [FaceDetection] {
        let size = SIMD2(Float(width), Float(height))
        // Stable tie-break on position keeps the order deterministic.
        return faces.sorted { a, b in
            let ka = key(box: a.box, score: a.score, frameSize: size), kb = key(box: b.box, score: b.score, frameSize: size)
            return ka != kb ? ka < kb : (a.box.x, a.box.y) < (b.box.x, b.box.y)
        }
    }
}
