import CV4L2
import Glibc

/// A failed system call: the `errno` it left.
struct SystemCallError: Error, Equatable, CustomStringConvertible {
    var code: Int32

    /// The C library's text for the error ("No such device"…).
    var description: String { String(cString: strerror(code)) }
}

/// The two system calls a V4L2 device needs. ``V4L2FileDescriptor`` makes them on an open device node;
/// tests substitute a fake device that records what it was asked and answers like a driver would.
protocol V4L2DeviceIO: AnyObject {
    /// Runs ioctl `request` with `argument` in and out (the driver may change it, e.g. S_FMT's answer).
    func control<Argument>(_ request: UInt, _ argument: inout Argument) throws(SystemCallError)
    /// Writes `bytes` with one `write()`; returns how many the device took.
    func write(_ bytes: [UInt8]) throws(SystemCallError) -> Int
}

/// An open device node (or any file: a regular file answers V4L2 ioctls with ENOTTY). Closed on release.
final class V4L2FileDescriptor: V4L2DeviceIO {
    private let fd: Int32

    /// Opens `path` read-write without creating it. `nonBlocking` for queries that must not wait on a busy device.
    init(path: String, nonBlocking: Bool = false) throws(SystemCallError) {
        let descriptor = Glibc.open(path, O_RDWR | O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0))
        if descriptor < 0 { throw SystemCallError(code: errno) }
        fd = descriptor
    }

    deinit { Glibc.close(fd) }

    func control<Argument>(_ request: UInt, _ argument: inout Argument) throws(SystemCallError) {
        while true {
            let result = withUnsafeMutablePointer(to: &argument) { Glibc.ioctl(fd, request, UnsafeMutableRawPointer($0)) }
            if result >= 0 { return }
            if errno != EINTR { throw SystemCallError(code: errno) }
        }
    }

    func write(_ bytes: [UInt8]) throws(SystemCallError) -> Int {
        while true {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written >= 0 { return written }
            if errno != EINTR { throw SystemCallError(code: errno) }
        }
    }
}
