/// Mean and percentiles of a set of durations, in milliseconds.
public struct TimingSummary: Sendable, Codable, Equatable {
    public var count: Int
    public var meanMs: Double
    public var p50Ms: Double
    public var p95Ms: Double
    public var p99Ms: Double
    public var maxMs: Double

    enum CodingKeys: String, CodingKey {
        case count, meanMs = "mean_ms", p50Ms = "p50_ms", p95Ms = "p95_ms", p99Ms = "p99_ms", maxMs = "max_ms"
    }

    /// Summarises samples given in seconds. Percentiles use the nearest-rank method.
    public init(seconds samples: [Double]) {
        count = samples.count
        guard !samples.isEmpty else {
            meanMs = 0; p50Ms = 0; p95Ms = 0; p99Ms = 0; maxMs = 0
            return
        }
        let sorted = samples.sorted()
        func rank(_ p: Double) -> Double {
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(index, 0), sorted.count - 1)] * 1000
        }
        meanMs = sorted.reduce(0, +) / Double(sorted.count) * 1000
        p50Ms = rank(0.50)
        p95Ms = rank(0.95)
        p99Ms = rank(0.99)
        maxMs = sorted[sorted.count - 1] * 1000
    }
}
