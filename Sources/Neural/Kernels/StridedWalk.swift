/// Walks the elements of a strided view of a tensor in row-major order (an odometer over `dims`): ``offset`` is the
/// current element's position in the source. Shared by the layout kernels (``Slice``, ``Transpose``).
struct StridedWalk {
    private let dims: [Int]
    private let strides: [Int]
    private var index: [Int]
    /// Source position of the current element.
    private(set) var offset: Int

    /// Starts at the view's first element, at `offset` in the source; `strides[a]` is the source step of axis `a`.
    init(dims: [Int], strides: [Int], offset: Int = 0) {
        self.dims = dims
        self.strides = strides
        index = [Int](repeating: 0, count: dims.count)
        self.offset = offset
    }

    /// Moves to the next element (the last axis fastest).
    @inline(__always)
    mutating func advance() {
        var a = dims.count - 1
        while a >= 0 {
            index[a] += 1
            offset += strides[a]
            if index[a] < dims[a] { return }
            offset -= strides[a] * dims[a]
            index[a] = 0
            a -= 1
        }
    }
}
