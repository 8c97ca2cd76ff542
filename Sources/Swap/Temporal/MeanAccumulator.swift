/// A running mean of samples (the total is kept in Double so long runs do not lose precision).
struct MeanAccumulator: Sendable {
    private(set) var count = 0
    private var total = 0.0

    mutating func add(_ sample: Double) {
        total += sample
        count += 1
    }

    /// nil before the first sample.
    var mean: Double? { count > 0 ? total / Double(count) : nil }
}
