import Foundation
import Glibc

/// Writes bytes to a file descriptor — stdout, stderr, a log file — and reports a reader that went away, a closed
/// descriptor or a full disk as a one-line ``StreamError`` (`FileHandle.write` traps on all three).
public final class ByteWriter: @unchecked Sendable {
    /// Standard output (JSON reports, `probe`, JSON Lines with `--json -`).
    public static let standardOutput = ByteWriter(fileDescriptor: STDOUT_FILENO, name: "stdout", owned: false)
    /// Standard error (messages, progress).
    public static let standardError = ByteWriter(fileDescriptor: STDERR_FILENO, name: "stderr", owned: false)

    /// What messages call it.
    public let name: String
    private let lock = NSLock()
    private var descriptor: Int32
    private let owned: Bool

    private init(fileDescriptor: Int32, name: String, owned: Bool) {
        descriptor = fileDescriptor
        self.name = name
        self.owned = owned
    }

    /// Creates (or truncates) `path` for writing.
    public convenience init(creating path: String) throws(StreamError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .cannotOpenOutput(path, reason: String(cString: strerror(errno))) }
        self.init(fileDescriptor: fd, name: path, owned: true)
    }

    deinit { if owned, descriptor >= 0 { Glibc.close(descriptor) } }

    /// Writes all of `data` (short writes and interrupted calls are retried).
    public func write(_ data: Data) throws(StreamError) {
        lock.lock()
        defer { lock.unlock() }
        guard descriptor >= 0 else { throw .writeFailed(name, reason: "already closed") }
        let failure: Int32? = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failure { throw .writeFailed(name, reason: Self.describe(failure)) }
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) throws(StreamError) { try write(Data(text.utf8)) }

    /// Closes a file this writer created, reporting a failed flush (NFS, quota); stdout and stderr stay open.
    public func close() throws(StreamError) {
        lock.lock()
        defer { lock.unlock() }
        guard owned, descriptor >= 0 else { return }
        let result = Glibc.close(descriptor)
        descriptor = -1
        if result != 0 { throw .writeFailed(name, reason: Self.describe(errno)) }
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case EPIPE: return "the reading end was closed (broken pipe)"
        case EBADF: return "it is closed"
        case ENOSPC: return "no space left on the device"
        default: return String(cString: strerror(code))
        }
    }
}
