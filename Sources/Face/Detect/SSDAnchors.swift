/// Anchor centres of MediaPipe's SSD anchor calculator with `fixed_anchor_size` (every anchor is 1×1, so only the
/// centre matters) and `anchor_offset` 0.5.
///
/// Consecutive layers with the same stride share one grid; each layer adds `anchorsPerLayer` anchors per cell.
/// Order: stride group, row, column, repeat — the order of the detector's output rows.
enum SSDAnchors {
    static func centres(inputSize: Int, strides: [Int], anchorsPerLayer: Int) -> [SIMD2<Float>] {
        var anchors: [SIMD2<Float>] = []
        var layer = 0
        while layer < strides.count {
            var last = layer
            while last + 1 < strides.count && strides[last + 1] == strides[layer] { last += 1 }
            let repeats = (last - layer + 1) * anchorsPerLayer
            let grid = (inputSize + strides[layer] - 1) / strides[layer]
            for y in 0..<grid {
                for x in 0..<grid {
                    let centre = SIMD2((Float(x) + 0.5) / Float(grid), (Float(y) + 0.5) / Float(grid))
                    anchors += repeatElement(centre, count: repeats)
                }
            }
            layer = last + 1
        }
        return anchors
    }
}
