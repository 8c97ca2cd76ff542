/// Flood fill over a pixel grid.
public enum FloodFill {
    /// The pixels (row-major indices into a `width` × `height` grid) joined to any of `seeds` through pixels that
    /// `passes` accepts (4-neighbours), each once. Seeds it refuses start nothing; `passes` is asked once per pixel
    /// at most, and only for the seeds and the neighbours of pixels reached.
    public static func pixels(width: Int, height: Int, from seeds: [Int], through passes: (Int) -> Bool) -> [Int] {
        var reached = [Bool](repeating: false, count: width * height)
        var stack = [Int](), found = [Int]()
        reached.withUnsafeMutableBufferPointer { reached in
            @inline(__always) func visit(_ j: Int) {
                if !reached[j], passes(j) { reached[j] = true; stack.append(j) }
            }
            for i in seeds { visit(i) }
            while let i = stack.popLast() {
                found.append(i)
                let x = i % width
                if x > 0 { visit(i - 1) }
                if x + 1 < width { visit(i + 1) }
                if i >= width { visit(i - width) }
                if i + width < width * height { visit(i + width) }
            }
        }
        return found
    }
}

extension AlphaMask {
    /// The pixels joined to any of `seeds` (pixel indices) through pixels above `threshold` (4-neighbours), as 1,
    /// the rest 0. Seeds at or below the threshold start nothing.
    public func region(connectedTo seeds: [Int], above threshold: Float = 0) -> AlphaMask {
        var region = AlphaMask(width: width, height: height)
        for i in FloodFill.pixels(width: width, height: height, from: seeds, through: { values[$0] > threshold }) {
            region.values[i] = 1
        }
        return region
    }
}
