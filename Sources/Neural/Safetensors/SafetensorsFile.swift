import Foundation

/// A safetensors file (a weights format, like TFLite's flatbuffers for whole networks): an 8-byte little-endian
/// header length, a JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// Tensors are held as float32; F16 widens on read. (Writing is the trainer's: `Train` extends this type.)
public struct SafetensorsFile: Sendable, Equatable {
    /// Element type on disk.
    public enum DType: String, Sendable {
        case f32 = "F32"
        case f16 = "F16"

        /// Bytes per element.
        package var byteCount: Int { self == .f32 ? 4 : 2 }
    }

    /// One named tensor (row-major).
    public struct Entry: Sendable, Equatable {
        public var shape: [Int]
        public var values: [Float]

        /// `values` row-major; their count must equal the shape's product.
        public init(shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "\(values.count) values for shape \(shape)")
            self.shape = shape
            self.values = values
        }
    }

    /// Tensors by name.
    public var tensors: [String: Entry]
    /// Free-form string metadata (`__metadata__`).
    public var metadata: [String: String]

    /// A file in memory (to write, or for tests).
    public init(tensors: [String: Entry] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads `url`.
    public init(contentsOf url: URL) throws(SafetensorsError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw .unreadable(path: url.path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(path: url.path, reason: "is a directory, not a model file") }
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? (error as NSError).localizedDescription
            throw .unreadable(path: url.path, reason: reason)
        }
        try self.init(data: data)
    }

    /// Parses a whole file's bytes.
    public init(data: Data) throws(SafetensorsError) {
        guard data.count >= 8 else { throw .malformed("shorter than its 8-byte header length") }
        let declared = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared > 0, declared <= UInt64(data.count - 8) else {
            throw .malformed("header length \(declared) exceeds the file")
        }
        let headerLength = Int(declared)
        let headerData = data.subdata(in: 8..<(8 + headerLength))
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw .malformed("header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        var tensors: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let dict = value as? [String: String] else { throw .malformed("__metadata__ must map strings to strings") }
                metadata = dict
                continue
            }
            guard let info = value as? [String: Any],
                  let dtypeName = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int],
                  let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw .malformed("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw .malformed("tensor '\(name)' has dtype \(dtypeName); only F32 and F16 are supported")
            }
            // Untrusted numbers: no product or sum may overflow, and nothing is allocated beyond the file's bytes.
            let payload = data.count - dataStart
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= payload,
                  let count = Self.elementCount(shape, limit: payload / dtype.byteCount),
                  offsets[1] - offsets[0] == count * dtype.byteCount else {
                throw .malformed("tensor '\(name)' byte range does not match its shape \(shape)")
            }
            let begin = dataStart + offsets[0], end = dataStart + offsets[1]
            let values = data.withUnsafeBytes { raw -> [Float] in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[begin..<end])
                switch dtype {
                case .f32:
                    return (0..<count).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                case .f16:
                    return (0..<count).map { floatFromHalf(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
                }
            }
            tensors[name] = Entry(shape: shape, values: values)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The product of `shape`, nil when it passes `limit` (or would overflow).
    static func elementCount(_ shape: [Int], limit: Int) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= limit else { return nil }
            count = product
        }
        return count
    }
}
