extension ONNXModel {
    /// Largest tensor accepted (elements); protects against absurd shapes in corrupt files.
    static let maxElements = 1 << 28

    /// The number of elements of `dims`, or nil when a dim is negative or the count overflows or exceeds
    /// ``maxElements``.
    static func elementCount(_ dims: [Int]) -> Int? {
        var count = 1
        for d in dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow, product <= maxElements else { return nil }
            count = product
        }
        return count
    }

    /// The values of a stored tensor, as floats (float types) or integers (integer and bool types).
    func decode(_ t: TensorData) throws(ONNXError) -> ConstantTensor {
        var count = 1
        for d in t.dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, product <= Self.maxElements else { throw .badShape(value: t.name, detail: "stored tensor has dims \(t.dims)") }
            count = product
        }
        guard let type = ONNXDataType(rawValue: t.dataType) else { throw .unsupportedType(tensor: t.name, type: t.dataType) }
        func checked<T>(_ values: [T]) throws(ONNXError) -> [T] {
            guard values.count == count else {
                throw .malformed(context: "tensor '\(t.name)': \(values.count) values for dims \(t.dims)")
            }
            return values
        }
        func raw<T: FixedWidthInteger>(_ range: Range<Int>, _: T.Type) throws(ONNXError) -> [T] {
            let size = MemoryLayout<T>.size
            guard range.count == count * size else {
                throw .malformed(context: "tensor '\(t.name)': \(range.count) bytes for \(count) \(type) values")
            }
            return bytes.withUnsafeBytes { buffer in
                (0..<count).map { T(littleEndian: buffer.loadUnaligned(fromByteOffset: range.lowerBound + $0 * size, as: T.self)) }
            }
        }
        switch (type, t.storage) {
        case (_, .external):
            throw .externalData(tensor: t.name)
        case (.float, .raw(let r)):
            return ConstantTensor(shape: t.dims, floats: try raw(r, UInt32.self).map { Float(bitPattern: $0) })
        case (.float, .floats(let f)):
            return ConstantTensor(shape: t.dims, floats: try checked(f))
        case (.float, .int32s(let i)) where i.isEmpty && count == 0:
            return ConstantTensor(shape: t.dims, floats: [])
        case (.float16, .raw(let r)):
            return ConstantTensor(shape: t.dims, floats: try raw(r, UInt16.self).map(floatFromHalf))
        case (.float16, .int32s(let i)):
            return ConstantTensor(shape: t.dims, floats: try checked(i).map { floatFromHalf(UInt16(truncatingIfNeeded: $0)) })
        case (.bfloat16, .raw(let r)):
            return ConstantTensor(shape: t.dims, floats: try raw(r, UInt16.self).map { Float(bitPattern: UInt32($0) << 16) })
        case (.double, .raw(let r)):
            return ConstantTensor(shape: t.dims, floats: try raw(r, UInt64.self).map { Float(Double(bitPattern: $0)) })
        case (.double, .doubles(let d)):
            return ConstantTensor(shape: t.dims, floats: try checked(d).map { Float($0) })
        case (.int64, .raw(let r)):
            return ConstantTensor(shape: t.dims, ints: try raw(r, Int64.self).map { Int($0) })
        case (.int64, .int64s(let i)), (.int64, .int32s(let i)):
            return ConstantTensor(shape: t.dims, ints: try checked(i).map { Int($0) })
        case (.int32, .raw(let r)):
            return ConstantTensor(shape: t.dims, ints: try raw(r, Int32.self).map { Int($0) })
        case (.int16, .raw(let r)):
            return ConstantTensor(shape: t.dims, ints: try raw(r, Int16.self).map { Int($0) })
        case (.uint16, .raw(let r)):
            return ConstantTensor(shape: t.dims, ints: try raw(r, UInt16.self).map { Int($0) })
        case (.int8, .raw(let r)):
            return ConstantTensor(shape: t.dims, ints: try raw(r, Int8.self).map { Int($0) })
        case (.uint8, .raw(let r)), (.bool, .raw(let r)):
            return ConstantTensor(shape: t.dims, ints: try raw(r, UInt8.self).map { Int($0) })
        case (.int32, .int32s(let i)), (.int16, .int32s(let i)), (.int8, .int32s(let i)), (.uint16, .int32s(let i)),
             (.uint8, .int32s(let i)), (.bool, .int32s(let i)):
            return ConstantTensor(shape: t.dims, ints: try checked(i).map { Int($0) })
        case (.float, _), (.float16, _), (.double, _), (.int64, _), (.int32, _):
            throw .malformed(context: "tensor '\(t.name)' holds no \(type) data")
        default:
            throw .unsupportedType(tensor: t.name, type: t.dataType)
        }
    }
}
