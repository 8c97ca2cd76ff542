import Foundation
import Glibc
import Synchronization

/// A file written under a temporary name beside its destination and renamed over it only once complete, so a
/// job that fails never leaves junk where a good file was, nor half a file under the final name.
///
/// The temporary name keeps the extension (FFmpeg picks the container from it) and is visible on purpose:
/// a run killed outright leaves `NAME.partial-PID.EXT`, which plays if the container allows (`--fragmented`
/// mp4, mkv, ts). Symlinks are followed, so the file a link points to is replaced, not the link. A destination
/// that exists but is not a regular file (`/dev/null`, a FIFO) cannot be replaced by a rename: it is written
/// in place.
public struct StagedFile: Sendable {
    /// The name the user gave (for messages).
    public let destination: String
    /// Where the bytes go until ``commit()``.
    public let path: String
    /// The file ``commit()`` replaces: `destination` with symlinks and `..` resolved.
    private let target: String
    /// Whether a file was at the destination when this was planned (a failed job must leave it alone).
    public let replacesExisting: Bool

    /// Plans the temporary name; creates nothing.
    public init(_ destination: String) {
        self.destination = destination
        target = Self.resolve(destination)
        var info = stat()
        replacesExisting = stat(target, &info) == 0
        if replacesExisting, info.st_mode & S_IFMT != S_IFREG {
            path = target
            return
        }
        let url = URL(fileURLWithPath: target)
        let ext = url.pathExtension
        let stem = url.deletingPathExtension().lastPathComponent
        let name = "\(stem).partial-\(getpid())-\(Self.serial.next())" + (ext.isEmpty ? "" : ".\(ext)")
        path = url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// False when the destination is written in place (not a regular file).
    public var isStaged: Bool { path != target }

    /// Moves the finished file over the destination in one step (`rename(2)`).
    public func commit() throws(StreamError) {
        // Nothing to move when nothing was written (FFmpeg's null muxer writes no file).
        guard isStaged, access(path, F_OK) == 0 else { return }
        if rename(path, target) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw .cannotOpenOutput(destination, reason: reason)
        }
    }

    /// Removes what was written; the destination stays as it was.
    public func discard() {
        guard isStaged else { return }
        unlink(path)
    }

    /// `path` with its folder's symlinks and `..` resolved, and the file itself resolved if it is a symlink.
    static func resolve(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        if let real = realpath(url.path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let folder = url.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return url.path }
        defer { free(real) }
        return URL(fileURLWithPath: String(cString: real)).appendingPathComponent(url.lastPathComponent).path
    }

    /// Distinguishes several staged files of one process.
    private static let serial = SerialNumber()
}

/// A process-wide increasing number.
private final class SerialNumber: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
