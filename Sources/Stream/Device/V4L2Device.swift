import CV4L2
import Glibc

/// An open V4L2 device node: typed wrappers over the few ioctls facelive uses, with failures mapped to
/// ``StreamError`` cases that name the device.
final class V4L2Device {
    /// The path the user gave, for messages.
    let path: String
    private let io: any V4L2DeviceIO

    init(path: String, io: any V4L2DeviceIO) {
        self.path = path
        self.io = io
    }

    /// Opens the node at `path`. `nonBlocking` for queries, so a device busy streaming does not stall them.
    static func open(_ path: String, nonBlocking: Bool = false) throws(StreamError) -> V4L2Device {
        do {
            return V4L2Device(path: path, io: try V4L2FileDescriptor(path: path, nonBlocking: nonBlocking))
        } catch {
            switch error.code {
            case ENOENT, ENXIO, ENODEV: throw .noSuchDevice(path)
            case EACCES, EPERM: throw .deviceFailed(path, operation: "open", reason: "permission denied (is your user in the 'video' group?)")
            default: throw .deviceFailed(path, operation: "open", reason: error.description)
            }
        }
    }

    /// VIDIOC_QUERYCAP. A file that is not a V4L2 device (regular file, /dev/null) answers ENOTTY.
    func capabilities() throws(StreamError) -> V4L2Capabilities {
        var cap = v4l2_capability()
        do {
            try io.control(CV4L2_VIDIOC_QUERYCAP, &cap)
        } catch {
            if error.code == ENOTTY || error.code == EINVAL { throw .notAV4L2Device(path) }
            throw failure("query", error)
        }
        return V4L2Capabilities(cap)
    }

    /// VIDIOC_S_FMT for the output queue; returns what the driver answered (it may adjust any field).
    func setOutputFormat(_ requested: V4L2OutputFormat) throws(StreamError) -> V4L2OutputFormat {
        var format = requested.cFormat
        do {
            try io.control(CV4L2_VIDIOC_S_FMT, &format)
        } catch {
            if error.code == EINVAL || error.code == EBUSY {
                throw .deviceFormatRefused(path, requested: requested.description, answer: error.description)
            }
            throw failure("set the format of", error)
        }
        return V4L2OutputFormat(format)
    }

    /// VIDIOC_ENUM_FMT for the capture queue: every pixel format the device offers.
    func captureFormats() throws(StreamError) -> [v4l2_fmtdesc] {
        try enumerate { index in
            var description = v4l2_fmtdesc()
            description.index = index
            description.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            return (CV4L2_VIDIOC_ENUM_FMT, description)
        }
    }

    /// VIDIOC_ENUM_FRAMESIZES: discrete sizes, or one stepwise/continuous range.
    func frameSizes(fourcc: UInt32) throws(StreamError) -> [v4l2_frmsizeenum] {
        try enumerate { index in
            var size = v4l2_frmsizeenum()
            size.index = index
            size.pixel_format = fourcc
            return (CV4L2_VIDIOC_ENUM_FRAMESIZES, size)
        }
    }

    /// VIDIOC_ENUM_FRAMEINTERVALS: discrete intervals, or one stepwise/continuous range.
    func frameIntervals(fourcc: UInt32, width: UInt32, height: UInt32) throws(StreamError) -> [v4l2_frmivalenum] {
        try enumerate { index in
            var interval = v4l2_frmivalenum()
            interval.index = index
            interval.pixel_format = fourcc
            interval.width = width
            interval.height = height
            return (CV4L2_VIDIOC_ENUM_FRAMEINTERVALS, interval)
        }
    }

    /// Writes one whole frame with one `write()`. A device that vanished (unplugged, module unloaded) is
    /// ``StreamError/deviceLost(_:reason:)``; a short write is an error too, since a V4L2 output takes whole frames.
    func write(_ bytes: [UInt8]) throws(StreamError) {
        let written: Int
        do {
            written = try io.write(bytes)
        } catch {
            if [ENODEV, EIO, ENXIO].contains(error.code) { throw .deviceLost(path, reason: error.description) }
            throw failure("write a frame to", error)
        }
        if written != bytes.count {
            throw .deviceFailed(path, operation: "write a frame to", reason: "short write, \(written) of \(bytes.count) bytes")
        }
    }

    /// The ENUM ioctls: ask for index 0, 1, 2… until the driver says EINVAL (end of list).
    private func enumerate<Entry>(_ make: (UInt32) -> (request: UInt, entry: Entry)) throws(StreamError) -> [Entry] {
        var entries: [Entry] = []
        for index in UInt32(0)... {
            var (request, entry) = make(index)
            do {
                try io.control(request, &entry)
            } catch {
                // EINVAL ends every list; ENOTTY means the driver has no such list (e.g. frame sizes).
                if error.code == EINVAL || error.code == ENOTTY { break }
                throw failure("enumerate formats of", error)
            }
            entries.append(entry)
            if index >= 1024 { break }  // a driver that never says EINVAL must not loop forever
        }
        return entries
    }

    private func failure(_ operation: String, _ error: SystemCallError) -> StreamError {
        if error.code == ENODEV { return .deviceLost(path, reason: error.description) }
        return .deviceFailed(path, operation: operation, reason: error.description)
    }
}

/// A single-planar output format: what facelive asks VIDIOC_S_FMT for, and what the driver answers.
struct V4L2OutputFormat: Equatable, CustomStringConvertible {
    var fourcc: UInt32
    var width: UInt32
    var height: UInt32
    var field: UInt32
    var bytesPerLine: UInt32
    var sizeImage: UInt32

    /// Packed frames of `size` in `format`, progressive.
    init(_ format: V4L2PixelFormat, size: FrameSize) {
        fourcc = format.fourcc
        width = UInt32(size.width)
        height = UInt32(size.height)
        field = V4L2_FIELD_NONE.rawValue
        bytesPerLine = UInt32(format.bytesPerLine(width: size.width))
        sizeImage = UInt32(format.frameBytes(size))
    }

    init(_ format: v4l2_format) {
        let pix = format.fmt.pix
        fourcc = pix.pixelformat
        width = pix.width
        height = pix.height
        field = pix.field
        bytesPerLine = pix.bytesperline
        sizeImage = pix.sizeimage
    }

    var cFormat: v4l2_format {
        var format = v4l2_format()
        format.type = V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue
        format.fmt.pix.pixelformat = fourcc
        format.fmt.pix.width = width
        format.fmt.pix.height = height
        format.fmt.pix.field = field
        format.fmt.pix.bytesperline = bytesPerLine
        format.fmt.pix.sizeimage = sizeImage
        format.fmt.pix.colorspace = V4L2_COLORSPACE_SMPTE170M.rawValue  // BT.601, what PixelConverter writes
        return format
    }

    /// True when the driver's answer can carry the frames asked for: same layout and size, progressive, rows
    /// without padding (bytesperline 0 means "not applicable") and room for a whole frame.
    func accepts(_ requested: V4L2OutputFormat) -> Bool {
        fourcc == requested.fourcc && width == requested.width && height == requested.height
            && (field == requested.field || field == V4L2_FIELD_ANY.rawValue)
            && (bytesPerLine == 0 || bytesPerLine == requested.bytesPerLine)
            && sizeImage >= requested.sizeImage
    }

    /// `YU12 1280x720` plus anything unusual (`bytesperline 1344`, `field 4`).
    var description: String {
        var text = "\(FourCC.string(fourcc)) \(width)x\(height)"
        if field != V4L2_FIELD_NONE.rawValue { text += " field \(field)" }
        text += " bytesperline \(bytesPerLine) sizeimage \(sizeImage)"
        return text
    }
}
