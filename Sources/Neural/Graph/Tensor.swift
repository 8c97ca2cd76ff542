/// A dense float32 tensor (row-major, NHWC for images) in 64-byte aligned storage; a copy-on-write value type.
public struct Tensor: Sendable {
    public let shape: TensorShape
    private var storage: AlignedBuffer

    /// A zero tensor.
    public init(shape: TensorShape) {
        self.shape = shape
        storage = AlignedBuffer(count: shape.count)
    }

    /// A tensor holding `values` (row-major); `values.count` must equal `shape.count`.
    public init(shape: TensorShape, values: [Float]) {
        precondition(values.count == shape.count, "\(values.count) values for shape \(shape)")
        self.shape = shape
        storage = AlignedBuffer(values)
    }

    /// The elements, row-major.
    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < shape.count, "tensor index out of range")
            return storage.baseAddress[index]
        }
        set {
            precondition(index >= 0 && index < shape.count, "tensor index out of range")
            makeUnique()
            storage.baseAddress[index] = newValue
        }
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.baseAddress, count: shape.count))
    }

    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.baseAddress, count: shape.count))
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = AlignedBuffer(count: shape.count)
            copy.baseAddress.update(from: storage.baseAddress, count: shape.count)
            storage = copy
        }
    }
}
