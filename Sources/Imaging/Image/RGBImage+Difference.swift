import Stream

extension RGBImage {
    /// Mean absolute difference from `other` (same size) on the 0–255 scale, over all channels, each pixel weighted by
    /// `weights` (one per pixel; equal weights when nil). 0 when the weights are all zero.
    package func meanAbsoluteDifference(to other: RGBImage, weights: [Float]? = nil) -> Double {
        precondition(width == other.width && height == other.height, "images differ in size")
        precondition(weights == nil || weights!.count == width * height, "one weight per pixel")
        var total = 0.0, weightSum = 0.0
        pixels.withUnsafeBufferPointer { a in
            other.pixels.withUnsafeBufferPointer { b in
                for i in 0..<(width * height) {
                    let w = Double(weights?[i] ?? 1)
                    guard w > 0 else { continue }
                    let o = 3 * i
                    let d = abs(Int(a[o]) - Int(b[o])) + abs(Int(a[o + 1]) - Int(b[o + 1])) + abs(Int(a[o + 2]) - Int(b[o + 2]))
                    total += w * Double(d)
                    weightSum += w
                }
            }
        }
        return weightSum > 0 ? total / (3 * weightSum) : 0
    }
}
