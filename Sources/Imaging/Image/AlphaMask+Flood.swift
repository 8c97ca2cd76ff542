/// Flood fill over a pixel grid.
public enum FloodFill {
    /// The pixels (row-major indices into a `width` × `height` grid) joined to any of `seeds` through pixels that
    /// `passes` accepts (4-neighbours), each once. Seeds it refuses start nothing; `passes` is asked once per pixel
    /// at most, and only for the seeds and the neighbours of pixels reached.
    public static func pixels(width: Int, height: Int, from seeds: [Int], through passes: (Int) -> Bool) -> [Int] {
        var reached = [Bool](repeating: false, count: width * height)
        var stack = [Int](), found = [Int]()
        for i in seeds where !reached[i] && passes(i) {
            reached[i] = true
            stack.append(i)
        }
        while let i = stack.popLast() {
            found.append(i)
            let (x, y) = (i % width, i / width)
            for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
            where nx >= 0 && ny >= 0 && nx < width && ny < height {
                let j = ny * width + nx
                if !reached[j], passes(j) { reached[j] = true; stack.append(j) }
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
