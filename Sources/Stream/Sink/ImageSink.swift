import Foundation

/// Writes frames as PNG images: `frame.png` keeps the first frame (a still in, a still out); a name with a
/// printf pattern (`frames/%06d.png`) writes every frame, numbered from 0 — handy for debugging a pipeline.
/// A still is written when the job finishes, so a failed job leaves an existing picture untouched.
public final class ImageSink: FrameSink {
    private let path: String
    private let isSequence: Bool
    public private(set) var framesWritten = 0
    /// A still's PNG bytes, written by ``finish(complete:)``.
    private var firstFrame: Data?

    /// Checks that `path` can be written before any frame is processed.
    public init(_ path: String) throws(StreamError) {
        self.path = path
        isSequence = path.contains("%")
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .cannotOpenOutput(path, reason: "folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw .cannotOpenOutput(path, reason: "folder \(folder) is not writable")
        }
    }

    /// True for output names this sink handles.
    public static func handles(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".png")
    }

    public func write(_ frame: VideoFrame) throws(StreamError) {
        guard isSequence || framesWritten == 0 else { return }
        if isSequence {
            try PNGEncoder.write(try frame.image, to: String(format: path, framesWritten))
        } else {
            firstFrame = try PNGEncoder.encode(try frame.image)
        }
        framesWritten += 1
    }

    /// Writes the still (a job that fails never replaces an existing picture).
    public func finish(complete: Bool) throws(StreamError) {
        guard let firstFrame else { return }
        self.firstFrame = nil
        try PNGEncoder.write(firstFrame, to: path)
    }

    /// Writes the still only where no file would be replaced.
    public func discard() {
        if let firstFrame, FileIdentity(path: path) == nil { try? PNGEncoder.write(firstFrame, to: path) }
        firstFrame = nil
    }
}
