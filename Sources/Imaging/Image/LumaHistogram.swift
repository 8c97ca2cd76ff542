/// A weighted 256-bin histogram of 8-bit values (luma): medians and quantiles of an image region without sorting.
public struct LumaHistogram: Sendable {
    @usableFromInline var bins = [Float](repeating: 0, count: 256)
    @usableFromInline var weights: Float = 0

    public init() {}

    /// The sum of the weights added.
    public var total: Float { weights }

    /// Adds `value` (0…255, clamped; each bin holds one integer step) with `weight`.
    @inlinable public mutating func add(_ value: Float, weight: Float = 1) {
        bins[min(255, max(0, Int(value)))] += weight
        weights += weight
    }

    /// The centre of the first bin at which the running weight reaches `q` (0…1) of the total (the median at 0.5);
    /// nil when nothing was added.
    public func quantile(_ q: Float) -> Float? {
        guard weights > 0 else { return nil }
        var running: Float = 0
        for bin in 0..<255 {
            running += bins[bin]
            if running >= weights * q { return Float(bin) + 0.5 }
        }
        return 255.5
    }

    /// The median (``quantile(_:)`` at 0.5).
    public var median: Float? { quantile(0.5) }
}
