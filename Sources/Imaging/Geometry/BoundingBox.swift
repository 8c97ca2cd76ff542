/// An axis-aligned rectangle in pixels (x, y = top-left corner): face and hand boxes, crop bounds.
public struct BoundingBox: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The tight box around `points`.
    public init<S: Sequence>(bounding points: S) where S.Element == SIMD2<Float> {
        var lo = SIMD2<Float>(repeating: .greatestFiniteMagnitude)
        var hi = SIMD2<Float>(repeating: -.greatestFiniteMagnitude)
        for p in points {
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
        }
        self.init(x: lo.x, y: lo.y, width: max(0, hi.x - lo.x), height: max(0, hi.y - lo.y))
    }

    public var center: SIMD2<Float> { SIMD2(x + width / 2, y + height / 2) }
    public var area: Float { width * height }

    /// True when `point` lies inside the rectangle.
    public func contains(_ point: SIMD2<Float>) -> Bool {
        point.x >= x && point.x <= x + width && point.y >= y && point.y <= y + height
    }

    /// The columns and rows of pixels the rectangle touches (rounded outwards) in a `width` × `height` image; nil
    /// when it misses the image.
    public func pixelRanges(width: Int, height: Int) -> (x: ClosedRange<Int>, y: ClosedRange<Int>)? {
        let x0 = max(0, Int(x.rounded(.down))), y0 = max(0, Int(y.rounded(.down)))
        let x1 = min(width - 1, Int((x + self.width).rounded(.up)))
        let y1 = min(height - 1, Int((y + self.height).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return nil }
        return (x0...x1, y0...y1)
    }

    /// Intersection over union with `other` (0 when either is empty).
    public func iou(_ other: BoundingBox) -> Float {
        let ix = max(0, min(x + width, other.x + other.width) - max(x, other.x))
        let iy = max(0, min(y + height, other.y + other.height) - max(y, other.y))
        let inter = ix * iy
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }
}
