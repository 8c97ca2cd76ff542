import Stream

/// Sharpness and similarity measures of crops.
package enum CropMetrics {
    /// Luma (0…255) resampled to `size²`.
    package static func grey(_ image: RGBImage, size: Int) -> [Float] {
        let rgb = image.boxResampled(to: size)
        return (0..<(size * size)).map { 255 * YCbCr.luma(rgb[$0 * 3], rgb[$0 * 3 + 1], rgb[$0 * 3 + 2]) }
    }

    /// Variance of the 4-neighbour Laplacian: low for blurred images.
    package static func laplacianVariance(_ grey: [Float], size: Int) -> Float {
        var sum = 0.0, squares = 0.0, count = 0.0
        for y in 1..<(size - 1) {
            for x in 1..<(size - 1) {
                let i = y * size + x
                let l = Double(grey[i - 1] + grey[i + 1] + grey[i - size] + grey[i + size] - 4 * grey[i])
                sum += l; squares += l * l; count += 1
            }
        }
        let mean = sum / count
        return Float(squares / count - mean * mean)
    }

    package static func downsample(_ grey: [Float], from size: Int, to target: Int) -> [Float] {
        let f = size / target
        return (0..<(target * target)).map { i in
            let tx = i % target, ty = i / target
            var s: Float = 0
            for y in 0..<f { for x in 0..<f { s += grey[(ty * f + y) * size + tx * f + x] } }
            return s / Float(f * f)
        }
    }

    package static func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
    }
}
