/// The dimensions of a tensor, outermost first (NHWC for images: batch, height, width, channels).
public struct TensorShape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The dimensions; every one is positive.
    public var dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }
    public init(arrayLiteral elements: Int...) { dims = elements }

    public var rank: Int { dims.count }
    /// Number of elements (1 for a scalar).
    public var count: Int { dims.reduce(1, *) }
    /// The innermost dimension (channels in NHWC), 1 for a scalar.
    public var channels: Int { dims.last ?? 1 }
    public subscript(axis: Int) -> Int { dims[axis] }

    public var description: String { "[" + dims.map(String.init).joined(separator: "×") + "]" }

    /// NHWC view of a rank-4 shape.
    var nhwc: (n: Int, h: Int, w: Int, c: Int) { (dims[0], dims[1], dims[2], dims[3]) }
}
