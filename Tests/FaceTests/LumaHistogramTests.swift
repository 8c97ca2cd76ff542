import Imaging
import Testing
import TestSupport

@Suite struct LumaHistogramTests {
    /// Quantiles agree with sorting, to the bin, on values spread over the whole range.
    @Test func quantilesMatchSorting() throws {
        var rng = SeededRandom(seed: 11)
        let values = (0..<5000).map { _ in Float(min(max(128 + 50 * rng.gaussian(), 0), 255.9)) }
        var histogram = LumaHistogram()
        for v in values { histogram.add(v) }
        #expect(histogram.total == 5000)
        let sorted = values.sorted()
        for q: Float in [0.1, 0.25, 0.5, 0.75, 0.9] {
            let exact = sorted[Int((q * Float(values.count)).rounded(.up)) - 1]
            let estimate = try #require(histogram.quantile(q))
            #expect(estimate == Float(Int(exact)) + 0.5, "q \(q): \(estimate) for \(exact)")
        }
    }

    /// Weights count as repeated values; out-of-range values land in the end bins; empty has no median.
    @Test func weightsAndRange() {
        var histogram = LumaHistogram()
        #expect(histogram.median == nil)
        histogram.add(10, weight: 3)
        histogram.add(200, weight: 1)
        #expect(histogram.median == 10.5)
        #expect(histogram.quantile(0.8) == 200.5)
        histogram.add(-40, weight: 10)
        histogram.add(900, weight: 1)
        #expect(histogram.median == 0.5)
        #expect(histogram.quantile(1) == 255.5)
    }
}
