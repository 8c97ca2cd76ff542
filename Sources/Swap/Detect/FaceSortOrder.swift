/// The order ``FaceDetector`` returns faces in (and so which survive `maxFaces`).
public enum FaceSortOrder: String, CaseIterable, Sendable {
    /// Largest box first.
    case largest
    /// Closest to the frame centre first.
    case center
    /// Highest detector score first.
    case confidence
    case leftToRight
    case rightToLeft
    case topToBottom
    case bottomToTop

    /// Sorts `faces` found in a `width`×`height` frame.
    func sorted(_ faces: [FaceDetection], width: Int, height: Int) -> [FaceDetection] {
        let mid = SIMD2(Float(width), Float(height)) / 2
        func key(_ f: FaceDetection) -> Float {
            switch self {
            case .largest: -f.box.area
            case .center: ((f.box.center - mid) * (f.box.center - mid)).sum()
            case .confidence: -f.score
            case .leftToRight: f.box.center.x
            case .rightToLeft: -f.box.center.x
            case .topToBottom: f.box.center.y
            case .bottomToTop: -f.box.center.y
            }
        }
        // Stable tie-break on position keeps the order deterministic.
        return faces.sorted { a, b in
            let ka = key(a), kb = key(b)
            return ka != kb ? ka < kb : (a.box.x, a.box.y) < (b.box.x, b.box.y)
        }
    }
}
