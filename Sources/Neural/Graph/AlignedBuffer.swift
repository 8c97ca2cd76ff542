/// Heap storage for `count` floats, 64-byte aligned (one cache line, full AVX-512 vectors), zero-filled.
///
/// Used for prepacked weights (written once at load, then read-only, so sharing across threads is safe) and for
/// the activation arena of one ``GraphExecutor`` (touched only by the thread that runs it).
package final class AlignedBuffer: @unchecked Sendable {
    /// Number of floats.
    package let count: Int
    /// First float; valid for `count` elements (at least one element is always allocated).
    package let baseAddress: UnsafeMutablePointer<Float>

    /// Zero-filled storage for `count` floats.
    package init(count: Int) {
        precondition(count >= 0, "negative buffer size")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        baseAddress = raw.initializeMemory(as: Float.self, repeating: 0, count: Swift.max(count, 1))
    }

    /// A copy of `values`.
    convenience init<C: Collection>(_ values: C) where C.Element == Float {
        self.init(count: values.count)
        _ = UnsafeMutableBufferPointer(start: baseAddress, count: count).initialize(from: values)
    }

    deinit { baseAddress.deallocate() }

    /// The contents as an array.
    package var array: [Float] { Array(UnsafeBufferPointer(start: baseAddress, count: count)) }
}
