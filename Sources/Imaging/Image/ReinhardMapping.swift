/// Reinhard et al. (2001) colour transfer as a per-channel map `v · gain + offset` that moves values with the source
/// statistics' mean and deviation onto the target's. The colour space is the caller's: the merger works in L*a*b*,
/// training's augmentation in YCbCr.
package struct ReinhardMapping: Sendable, Equatable {
    package var gain: SIMD3<Float>
    package var offset: SIMD3<Float>

    /// The map from `source` to `target`; `gainRange` limits how much a channel's contrast may change.
    package init(from source: ChannelStatistics, to target: ChannelStatistics, gainRange: ClosedRange<Float>? = nil) {
        var gain = SIMD3<Float>(target.deviation / (source.deviation + 1e-6))
        if let gainRange {
            gain = gain.clamped(lowerBound: SIMD3(repeating: gainRange.lowerBound), upperBound: SIMD3(repeating: gainRange.upperBound))
        }
        self.gain = gain
        offset = SIMD3<Float>(target.mean) - SIMD3<Float>(source.mean) * gain
    }

    @inline(__always)
    package func callAsFunction(_ v: SIMD3<Float>) -> SIMD3<Float> { v * gain + offset }
}
