/// Where ``Conv2D``'s repacking reads weight `(i, o)` (patch element, output channel) from: the layouts a trainer
/// keeps its weights in, each a concrete type so the packing loops compile to plain loads.
protocol WeightSource {
    func value(_ i: Int, _ o: Int) -> Float
    /// `value(i, o + j)` for `j` in `0..<count` into `out`.
    func copy(row i: Int, from o: Int, count: Int, into out: UnsafeMutablePointer<Float>)
}

extension WeightSource {
    @inline(__always) func copy(row i: Int, from o: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        for j in 0..<count { out[j] = value(i, o + j) }
    }
}

/// Row-major `[K × n]`.
struct RowMajorWeights: WeightSource {
    let w: UnsafePointer<Float>
    let n: Int
    @inline(__always) func value(_ i: Int, _ o: Int) -> Float { w[i * n + o] }
    /// A contiguous run of the row (the packing's panel rows are runs of 16–48 output channels).
    @inline(__always) func copy(row i: Int, from o: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(from: w + i * n + o, count: count)
    }
}

/// Column-major, i.e. row-major `[n × k]`.
struct ColumnMajorWeights: WeightSource {
    let w: UnsafePointer<Float>
    let k: Int
    @inline(__always) func value(_ i: Int, _ o: Int) -> Float { w[o * k + i] }
}

/// A convolution's `[taps, outChannels, inChannels]` weights read as the transposed convolution's
/// `[taps, inChannels, outChannels]`, taps reversed (see ``Conv2D/packWeights(flippingTapsOf:threads:)``).
struct FlippedTapWeights: WeightSource {
    let w: UnsafePointer<Float>
    let taps: Int, inChannels: Int, outChannels: Int
    @inline(__always) func value(_ i: Int, _ o: Int) -> Float {
        let tap = i / inChannels, c = i - tap * inChannels
        return w[((taps - 1 - tap) * outChannels + o) * inChannels + c]
    }
}
