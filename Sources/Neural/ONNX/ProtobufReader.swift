/// A bounds-checked reader for the protocol-buffers wire format (the encoding of every ONNX file).
///
/// It walks one message's bytes field by field; every length and varint is validated before use, so a corrupt
/// file yields ``ONNXError/malformed(context:)`` rather than an out-of-bounds read. Sub-messages are read by
/// sub-readers over the same byte array (no copies).
struct ProtobufReader {
    /// The wire types protobuf 3 uses (groups, 3 and 4, are obsolete and rejected).
    enum WireType: Int {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    /// What is being read, for error messages ("model.graph.node[3]").
    let context: String

    init(bytes: [UInt8], context: String) {
        self.init(bytes: bytes, range: 0..<bytes.count, context: context)
    }

    init(bytes: [UInt8], range: Range<Int>, context: String) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
        self.context = context
    }

    var isAtEnd: Bool { position >= end }

    private func malformed(_ detail: String) -> ONNXError { .malformed(context: "\(context): \(detail)") }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(ONNXError) -> (number: Int, wire: WireType)? {
        guard position < end else { return nil }
        let key = try varint()
        guard let wire = WireType(rawValue: Int(key & 7)) else { throw malformed("wire type \(key & 7) at byte \(position)") }
        let number = key >> 3
        guard number >= 1 && number < 1 << 29 else { throw malformed("field number \(number)") }
        return (Int(number), wire)
    }

    mutating func varint() throws(ONNXError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw malformed("varint runs past the end of the message") }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw malformed("varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A varint field read as a signed 64-bit integer (protobuf's `int64`, `int32` and enums).
    mutating func int64() throws(ONNXError) -> Int64 { Int64(bitPattern: try varint()) }

    mutating func fixed32() throws(ONNXError) -> UInt32 {
        guard end - position >= 4 else { throw malformed("fixed32 runs past the end of the message") }
        defer { position += 4 }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt32.self)) }
    }

    mutating func fixed64() throws(ONNXError) -> UInt64 {
        guard end - position >= 8 else { throw malformed("fixed64 runs past the end of the message") }
        defer { position += 8 }
        return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt64.self)) }
    }

    /// The byte range of a length-delimited field's payload; the reader moves past it.
    mutating func lengthDelimited() throws(ONNXError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw malformed("\(length)-byte field at byte \(position) runs past the end (\(end - position) left)")
        }
        let range = position ..< position + Int(length)
        position = range.upperBound
        return range
    }

    /// A reader over an embedded message.
    mutating func message(_ name: String) throws(ONNXError) -> ProtobufReader {
        ProtobufReader(bytes: bytes, range: try lengthDelimited(), context: "\(context).\(name)")
    }

    mutating func string() throws(ONNXError) -> String {
        String(decoding: bytes[try lengthDelimited()], as: UTF8.self)
    }

    /// Skips a field the caller does not read.
    mutating func skip(_ wire: WireType) throws(ONNXError) {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        }
    }

    /// Appends a repeated integer field, packed (one length-delimited run) or not (one varint per occurrence).
    mutating func appendInt64s(_ wire: WireType, to values: inout [Int64]) throws(ONNXError) {
        try appendRepeated(wire, single: .varint, width: nil, "integer", to: &values) { r throws(ONNXError) in try r.int64() }
    }

    /// Appends a repeated `float` field, packed or not.
    mutating func appendFloats(_ wire: WireType, to values: inout [Float]) throws(ONNXError) {
        try appendRepeated(wire, single: .fixed32, width: 4, "float", to: &values) { r throws(ONNXError) in
            Float(bitPattern: try r.fixed32())
        }
    }

    /// Appends a repeated `double` field, packed or not.
    mutating func appendDoubles(_ wire: WireType, to values: inout [Double]) throws(ONNXError) {
        try appendRepeated(wire, single: .fixed64, width: 8, "double", to: &values) { r throws(ONNXError) in
            Double(bitPattern: try r.fixed64())
        }
    }

    /// Appends a repeated field: one value per occurrence with wire type `single`, or a packed run of values
    /// (`width` bytes each when fixed-width), each read by `read`.
    private mutating func appendRepeated<T>(_ wire: WireType, single: WireType, width: Int?, _ kind: String,
                                            to values: inout [T],
                                            _ read: (inout ProtobufReader) throws(ONNXError) -> T) throws(ONNXError) {
        if wire == single {
            values.append(try read(&self))
            return
        }
        guard wire == .lengthDelimited else { throw malformed("\(kind) list with wire type \(wire.rawValue)") }
        var run = ProtobufReader(bytes: bytes, range: try lengthDelimited(), context: context)
        if let width {
            let count = run.end - run.position
            guard count % width == 0 else { throw malformed("packed \(kind)s of \(count) bytes") }
            values.reserveCapacity(values.count + count / width)
        }
        while !run.isAtEnd { values.append(try read(&run)) }
    }
}
