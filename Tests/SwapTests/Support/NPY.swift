import Foundation

/// Minimal reader for NumPy `.npy` files holding little-endian float32 arrays (format versions 1–3).
struct NPYArray {
    var shape: [Int]
    var values: [Float]

    enum Failure: Error { case badFile(String) }

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count >= 10, bytes[0] == 0x93, bytes[1...5].elementsEqual("NUMPY".utf8) else {
            throw Failure.badFile("\(url.lastPathComponent): not an .npy file")
        }
        let major = bytes[6]
        let headerLength = major == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let start = major == 1 ? 10 : 12
        let header = String(decoding: bytes[start ..< start + headerLength], as: UTF8.self)
        guard header.contains("'<f4'"), header.contains("'fortran_order': False") else {
            throw Failure.badFile("\(url.lastPathComponent): expected C-order little-endian float32, got \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw Failure.badFile("\(url.lastPathComponent): no shape")
        }
        shape = header[open.upperBound ..< close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let dataStart = start + headerLength
        guard bytes.count - dataStart == count * 4 else { throw Failure.badFile("\(url.lastPathComponent): size") }
        values = bytes[dataStart...].withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }
}
