import CV4L2
import Glibc
@testable import Stream

/// A V4L2 device in memory: answers QUERYCAP, S_FMT and the ENUM ioctls like a driver would, records what it
/// was asked and what was written, and fails on demand.
final class FakeV4L2Device: V4L2DeviceIO {
    struct CaptureFormat {
        var fourcc: UInt32
        var description: String
        var compressed = false
        /// Discrete sizes with their frame intervals (numerator, denominator).
        var sizes: [(width: UInt32, height: UInt32, intervals: [(UInt32, UInt32)])]
    }

    var driver = "v4l2 loopback"
    var card = "facelive"
    var bus = "platform:v4l2loopback-000"
    /// `capabilities` (whole device) and `device_caps` (this node).
    var capabilities = UInt32(V4L2_CAP_VIDEO_OUTPUT) | V4L2_CAP_DEVICE_CAPS
    var deviceCaps = UInt32(V4L2_CAP_VIDEO_OUTPUT)
    /// What the driver makes of an S_FMT request (default: accepts it as is).
    var answerFormat: (v4l2_format) throws(SystemCallError) -> v4l2_format = { $0 }
    var captureFormats: [CaptureFormat] = []
    /// The error (or short count) for the write with this index (0-based).
    var writeFailure: [Int: SystemCallError] = [:]
    var shortWrite: [Int: Int] = [:]

    private(set) var requestedFormats: [v4l2_format] = []
    private(set) var writes: [[UInt8]] = []
    private(set) var requests: [UInt] = []

    func control<Argument>(_ request: UInt, _ argument: inout Argument) throws(SystemCallError) {
        requests.append(request)
        switch request {
        case CV4L2_VIDIOC_QUERYCAP:
            var cap = v4l2_capability()
            Self.fill(&cap.driver, driver)
            Self.fill(&cap.card, card)
            Self.fill(&cap.bus_info, bus)
            cap.capabilities = capabilities
            cap.device_caps = deviceCaps
            argument = cap as! Argument
        case CV4L2_VIDIOC_S_FMT:
            let format = argument as! v4l2_format
            requestedFormats.append(format)
            argument = try answerFormat(format) as! Argument
        case CV4L2_VIDIOC_ENUM_FMT:
            var description = argument as! v4l2_fmtdesc
            guard description.type == V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue,
                  Int(description.index) < captureFormats.count else { throw SystemCallError(code: EINVAL) }
            let format = captureFormats[Int(description.index)]
            description.pixelformat = format.fourcc
            description.flags = format.compressed ? UInt32(V4L2_FMT_FLAG_COMPRESSED) : 0
            Self.fill(&description.description, format.description)
            argument = description as! Argument
        case CV4L2_VIDIOC_ENUM_FRAMESIZES:
            var size = argument as! v4l2_frmsizeenum
            guard let format = captureFormats.first(where: { $0.fourcc == size.pixel_format }),
                  Int(size.index) < format.sizes.count else { throw SystemCallError(code: EINVAL) }
            size.type = V4L2_FRMSIZE_TYPE_DISCRETE.rawValue
            size.discrete.width = format.sizes[Int(size.index)].width
            size.discrete.height = format.sizes[Int(size.index)].height
            argument = size as! Argument
        case CV4L2_VIDIOC_ENUM_FRAMEINTERVALS:
            var interval = argument as! v4l2_frmivalenum
            guard let format = captureFormats.first(where: { $0.fourcc == interval.pixel_format }),
                  let size = format.sizes.first(where: { $0.width == interval.width && $0.height == interval.height }),
                  Int(interval.index) < size.intervals.count else { throw SystemCallError(code: EINVAL) }
            interval.type = V4L2_FRMIVAL_TYPE_DISCRETE.rawValue
            interval.discrete.numerator = size.intervals[Int(interval.index)].0
            interval.discrete.denominator = size.intervals[Int(interval.index)].1
            argument = interval as! Argument
        default:
            throw SystemCallError(code: ENOTTY)
        }
    }

    func write(_ bytes: [UInt8]) throws(SystemCallError) -> Int {
        let index = writes.count
        if let failure = writeFailure[index] { throw failure }
        writes.append(bytes)
        return shortWrite[index] ?? bytes.count
    }

    /// Copies `text` into a NUL-terminated `char[N]` field.
    private static func fill<T>(_ field: inout T, _ text: String) {
        withUnsafeMutableBytes(of: &field) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            for (i, byte) in text.utf8.prefix(buffer.count - 1).enumerated() { buffer[i] = byte }
        }
    }
}
