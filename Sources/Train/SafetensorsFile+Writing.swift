import Foundation
import Neural

extension SafetensorsFile {
    /// Reads `url`, with the trainer's error type.
    static func read(_ url: URL) throws(TrainError) -> SafetensorsFile {
        do { return try SafetensorsFile(contentsOf: url) } catch { throw .model(.file(error)) }
    }

    /// The file's bytes with every tensor stored as `dtype`, in name order (deterministic output).
    public func encoded(as dtype: DType = .f32) -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let entry = tensors[name]!
            let size = entry.values.count * dtype.byteCount
            header[name] = ["dtype": dtype.rawValue, "shape": entry.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
        // Pad with spaces so the data section starts 8-byte aligned (allowed by the format).
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for name in names {
            let values = tensors[name]!.values
            switch dtype {
            case .f32:
                values.withUnsafeBufferPointer { buffer in
                    var le = buffer.map { $0.bitPattern.littleEndian }
                    le.withUnsafeMutableBytes { out.append(contentsOf: $0) }
                }
            case .f16:
                var le = values.map { Float16($0).bitPattern.littleEndian }
                le.withUnsafeMutableBytes { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// Writes the file atomically (a crash mid-write leaves the previous file intact).
    public func write(to url: URL, as dtype: DType = .f32) throws(TrainError) {
        do { try encoded(as: dtype).write(to: url, options: .atomic) } catch {
            throw .unreadableFile(path: url.path, reason: "write failed: \(error.localizedDescription)")
        }
    }
}
