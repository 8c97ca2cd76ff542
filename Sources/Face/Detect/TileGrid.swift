/// A grid of overlapping tiles the detector also runs on, for faces too small to find in the whole frame.
public struct TileGrid: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    /// Fraction of a tile shared with its neighbour (0…0.9).
    public var overlap: Float

    public init(columns: Int, rows: Int, overlap: Float = 0.25) {
        precondition(columns >= 1 && rows >= 1, "tile grid needs at least one column and row")
        self.columns = columns
        self.rows = rows
        self.overlap = min(max(overlap, 0), 0.9)
    }

    /// An `n`×`n` grid.
    public init(_ n: Int, overlap: Float = 0.25) { self.init(columns: n, rows: n, overlap: overlap) }

    /// The tiles of a `width`×`height` frame, in frame pixels.
    func regions(width: Int, height: Int) -> [(x: Float, y: Float, width: Float, height: Float)] {
        func spans(_ length: Float, _ count: Int) -> [(Float, Float)] {
            let size = length / (Float(count) - Float(count - 1) * overlap)
            let step = size * (1 - overlap)
            return (0..<count).map { (Float($0) * step, size) }
        }
        let xs = spans(Float(width), columns), ys = spans(Float(height), rows)
        return ys.flatMap { y in xs.map { x in (x.0, y.0, x.1, y.1) } }
    }
}
