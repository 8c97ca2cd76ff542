import Foundation

/// A float32 array read from a NumPy `.npy` file (C order, little-endian; format versions 1–3).
///
/// For reference tensors produced offline (golden tests, benchmarks); not used at run time.
public struct NumpyArray: Sendable {
    public var shape: [Int]
    public var values: [Float]

    /// Why an `.npy` file could not be read.
    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        let name = url.lastPathComponent
        guard bytes.count >= 12, bytes[0] == 0x93, bytes[1...5].elementsEqual("NUMPY".utf8) else {
            throw FormatError(description: "\(name): not an .npy file")
        }
        let (headerLength, start) = bytes[6] == 1
            ? (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
            : (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24, 12)
        guard start + headerLength <= bytes.count else { throw FormatError(description: "\(name): truncated header") }
        let header = String(decoding: bytes[start ..< start + headerLength], as: UTF8.self)
        guard header.contains("'<f4'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
        else { throw FormatError(description: "\(name): expected a C-order little-endian float32 array, header \(header)") }
        shape = header[open.upperBound ..< close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let dataStart = start + headerLength
        guard bytes.count - dataStart == count * 4 else { throw FormatError(description: "\(name): \(bytes.count - dataStart) data bytes for \(count) floats") }
        values = bytes[dataStart...].withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count)
        self.shape = shape
        self.values = values
    }

    /// The `.npy` bytes (format 1.0, little-endian float32, C order).
    public var npyData: Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * 4)) }
        return data
    }

    /// The array as a tensor.
    public var tensor: Tensor { Tensor(shape: TensorShape(shape), values: values) }
}
