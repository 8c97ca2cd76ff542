/// A single-channel float image, values 0…1 (a face mask, an opacity map).
public struct AlphaMask: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` values, row-major.
    public var values: [Float]

    /// A mask filled with `value`.
    public init(width: Int, height: Int, value: Float = 0) {
        precondition(width > 0 && height > 0, "mask size must be positive")
        self.width = width
        self.height = height
        self.values = [Float](repeating: value, count: width * height)
    }

    /// Wraps existing values; `values.count` must be `width * height`.
    public init(width: Int, height: Int, values: [Float]) {
        precondition(width > 0 && height > 0 && values.count == width * height, "value count does not match size")
        self.width = width
        self.height = height
        self.values = values
    }

    @inlinable public subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// Writes `other` over the region at (`x`, `y`), which must lie inside the mask.
    public mutating func paste(_ other: AlphaMask, x: Int, y: Int) {
        precondition(x >= 0 && y >= 0 && x + other.width <= width && y + other.height <= height, "paste outside the mask")
        for row in 0..<other.height {
            values.replaceSubrange((y + row) * width + x..<(y + row) * width + x + other.width,
                                   with: other.values[row * other.width..<(row + 1) * other.width])
        }
    }

    /// Multiplies by `other` pixel by pixel (masks combine by product).
    public mutating func multiply(by other: AlphaMask) {
        precondition(other.width == width && other.height == height, "mask sizes differ")
        values.withUnsafeMutableBufferPointer { v in
            other.values.withUnsafeBufferPointer { o in
                for i in v.indices { v[i] *= o[i] }
            }
        }
    }

    /// Multiplies every value by `factor` (a factor of 1 leaves the storage untouched, shared or not).
    public mutating func multiply(by factor: Float) {
        guard factor != 1 else { return }
        values.withUnsafeMutableBufferPointer { v in
            for i in v.indices { v[i] *= factor }
        }
    }

    /// Sets to zero every value where `other` is zero (or less).
    public mutating func zero(where other: AlphaMask) {
        precondition(other.width == width && other.height == height, "mask sizes differ")
        values.withUnsafeMutableBufferPointer { v in
            other.values.withUnsafeBufferPointer { o in
                for i in v.indices where o[i] <= 0 { v[i] = 0 }
            }
        }
    }

    /// The largest value (0 for an empty mask), sixteen values at a time: the merge reads a face-sized mask's
    /// top level several times a frame, and `values.max()` compared them one by one.
    public var maximum: Float {
        values.withUnsafeBufferPointer { v in
            let n = v.count
            guard n > 0 else { return 0 }
            var top = SIMD16<Float>(repeating: v[0])
            var i = 0
            while i + 16 <= n {
                let next = UnsafeRawPointer(v.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
                top.replace(with: next, where: top .< next)
                i += 16
            }
            var best = top.max()
            while i < n {
                best = Swift.max(best, v[i])
                i += 1
            }
            return best
        }
    }

    /// The smallest pixel box holding every value above `threshold` as (x0, y0, x1, y1), inclusive; nil when none.
    public func support(above threshold: Float = 0) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        var x0 = width, y0 = height, x1 = -1, y1 = -1
        values.withUnsafeBufferPointer { v in
            for y in 0..<height {
                // From each end inwards to the first value above: a face's mask is read at its margins only.
                let row = v.baseAddress! + y * width
                var first = 0
                while first < width, !(row[first] > threshold) { first += 1 }
                guard first < width else { continue }
                var last = width - 1
                while !(row[last] > threshold) { last -= 1 }
                x0 = min(x0, first)
                x1 = max(x1, last)
                y0 = min(y0, y)
                y1 = y
            }
        }
        return x1 < 0 ? nil : (x0, y0, x1, y1)
    }
}
