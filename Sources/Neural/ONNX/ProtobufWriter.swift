/// Builds protocol-buffers messages (the encoding of ONNX files), field by field.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func key(_ field: Int, _ wire: ProtobufReader.WireType) {
        varint(UInt64(field << 3 | wire.rawValue))
    }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func int(_ field: Int, _ value: Int) {
        key(field, .varint)
        varint(UInt64(bitPattern: Int64(value)))
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bytes(_ field: Int, _ payload: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    /// A packed repeated integer field.
    mutating func ints(_ field: Int, _ values: [Int]) {
        var inner = ProtobufWriter()
        for v in values { inner.varint(UInt64(bitPattern: Int64(v))) }
        bytes(field, inner.bytes)
    }

    /// Little-endian float32 payload (a tensor's `raw_data`).
    static func rawFloats(_ values: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}
