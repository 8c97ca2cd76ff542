extension AlphaMask {
    /// The pixels joined to any of `seeds` (pixel indices) through pixels above `threshold` (4-neighbours), as 1,
    /// the rest 0. Seeds at or below the threshold start nothing.
    public func region(connectedTo seeds: [Int], above threshold: Float = 0) -> AlphaMask {
        var region = AlphaMask(width: width, height: height)
        var stack = [Int]()
        for i in seeds where values[i] > threshold && region.values[i] == 0 {
            region.values[i] = 1
            stack.append(i)
        }
        while let i = stack.popLast() {
            let (x, y) = (i % width, i / width)
            for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
            where nx >= 0 && ny >= 0 && nx < width && ny < height {
                let j = ny * width + nx
                if values[j] > threshold, region.values[j] == 0 { region.values[j] = 1; stack.append(j) }
            }
        }
        return region
    }
}
