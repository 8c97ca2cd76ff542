import Foundation

/// Reads a model file whole, for the importers (TFLite, ONNX), which name the failure in their own error type.
enum ModelFileReader {
    /// The file's bytes; `unreadable` makes the error from the system's reason.
    static func bytes<E: Error>(of url: URL, _ unreadable: (_ reason: String) -> E) throws(E) -> [UInt8] {
        do { return [UInt8](try Data(contentsOf: url)) } catch { throw unreadable((error as NSError).localizedDescription) }
    }
}
