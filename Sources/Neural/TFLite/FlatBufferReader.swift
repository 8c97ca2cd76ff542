/// A bounds-checked reader for FlatBuffers binaries (little-endian, as every TFLite file is).
///
/// Every offset and length is validated before use, so a corrupt file yields ``TFLiteError/malformed(context:)``
/// rather than an out-of-bounds read.
struct FlatBufferReader: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }

    /// Throws unless `size` bytes at `offset` lie inside the buffer.
    @inline(__always)
    func check(_ offset: Int, _ size: Int, _ context: @autoclosure () -> String) throws(TFLiteError) {
        guard offset >= 0, size >= 0, offset <= bytes.count, size <= bytes.count - offset else {
            throw .malformed(context: "\(context()): \(size) bytes at offset \(offset) outside the \(bytes.count)-byte file")
        }
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, _ context: @autoclosure () -> String) throws(TFLiteError) -> T {
        try check(offset, MemoryLayout<T>.size, context())
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }

    /// The root table (the file starts with its offset).
    func root() throws(TFLiteError) -> FlatTable {
        let offset = Int(try load(UInt32.self, at: 0, "root table offset"))
        return try FlatTable(reader: self, position: offset, context: "root table")
    }
}

/// A FlatBuffers table: a vtable of field offsets in front of inline scalars and offsets to children.
struct FlatTable: Sendable {
    let reader: FlatBufferReader
    let position: Int
    let context: String
    private let vtable: Int
    private let vtableSize: Int

    init(reader: FlatBufferReader, position: Int, context: String) throws(TFLiteError) {
        self.reader = reader
        self.position = position
        self.context = context
        let soffset = Int(try reader.load(Int32.self, at: position, "\(context) vtable offset"))
        vtable = position - soffset
        vtableSize = Int(try reader.load(UInt16.self, at: vtable, "\(context) vtable"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else { throw .malformed(context: "\(context): vtable size \(vtableSize)") }
        try reader.check(vtable, vtableSize, "\(context) vtable")
        let tableSize = Int(try reader.load(UInt16.self, at: vtable + 2, "\(context) table size"))
        try reader.check(position, tableSize, "\(context) table")
    }

    /// Absolute position of field `id`, or nil when absent (the default applies).
    func field(_ id: Int) throws(TFLiteError) -> Int? {
        let entry = 4 + 2 * id
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try reader.load(UInt16.self, at: vtable + entry, "\(context) field \(id)"))
        return offset == 0 ? nil : position + offset
    }

    func scalar<T: FixedWidthInteger>(_ id: Int, default value: T) throws(TFLiteError) -> T {
        guard let at = try field(id) else { return value }
        return try reader.load(T.self, at: at, "\(context) field \(id)")
    }

    func bool(_ id: Int, default value: Bool = false) throws(TFLiteError) -> Bool {
        try scalar(id, default: UInt8(value ? 1 : 0)) != 0
    }

    func float(_ id: Int, default value: Float) throws(TFLiteError) -> Float {
        Float(bitPattern: try scalar(id, default: value.bitPattern))
    }

    /// Follows the offset stored in field `id`.
    private func target(_ id: Int) throws(TFLiteError) -> Int? {
        guard let at = try field(id) else { return nil }
        return at + Int(try reader.load(UInt32.self, at: at, "\(context) field \(id) offset"))
    }

    func table(_ id: Int, _ name: String) throws(TFLiteError) -> FlatTable? {
        guard let at = try target(id) else { return nil }
        return try FlatTable(reader: reader, position: at, context: "\(context).\(name)")
    }

    func vector(_ id: Int, _ name: String, elementSize: Int) throws(TFLiteError) -> FlatVector? {
        guard let at = try target(id) else { return nil }
        return try FlatVector(reader: reader, position: at, elementSize: elementSize, context: "\(context).\(name)")
    }

    func string(_ id: Int) throws(TFLiteError) -> String? {
        guard let v = try vector(id, "string", elementSize: 1) else { return nil }
        return String(decoding: reader.bytes[v.start ..< v.start + v.count], as: UTF8.self)
    }

    func int32s(_ id: Int, _ name: String) throws(TFLiteError) -> [Int] {
        guard let v = try vector(id, name, elementSize: 4) else { return [] }
        var values: [Int] = []
        values.reserveCapacity(v.count)
        for i in 0..<v.count { values.append(Int(try v.load(Int32.self, at: i))) }
        return values
    }
}

/// A FlatBuffers vector: a 32-bit length followed by its elements.
struct FlatVector: Sendable {
    let reader: FlatBufferReader
    /// Position of element 0.
    let start: Int
    let count: Int
    let elementSize: Int
    let context: String

    init(reader: FlatBufferReader, position: Int, elementSize: Int, context: String) throws(TFLiteError) {
        let n = Int(try reader.load(UInt32.self, at: position, "\(context) length"))
        try reader.check(position + 4, n * elementSize, "\(context) (\(n) elements)")
        self.reader = reader
        start = position + 4
        count = n
        self.elementSize = elementSize
        self.context = context
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws(TFLiteError) -> T {
        try reader.load(T.self, at: start + index * elementSize, "\(context)[\(index)]")
    }

    /// Table element `index` (the vector holds offsets to tables).
    func table(at index: Int) throws(TFLiteError) -> FlatTable {
        let at = start + index * 4
        let target = at + Int(try reader.load(UInt32.self, at: at, "\(context)[\(index)] offset"))
        return try FlatTable(reader: reader, position: target, context: "\(context)[\(index)]")
    }

    /// The byte range of the elements.
    var byteRange: Range<Int> { start ..< start + count * elementSize }
}
