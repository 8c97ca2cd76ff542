import CV4L2
import Foundation

/// One V4L2 device node and what it can do: name, driver, direction and, for cameras, the formats, sizes and
/// frame rates it offers (what `--input-format`, `--input-size` and `--input-fps` may ask for).
public struct V4L2DeviceInfo: Sendable, Codable, Equatable {
    /// A pixel format with its sizes.
    public struct Format: Sendable, Codable, Equatable {
        /// Fourcc (`YUYV`, `MJPG`).
        public var fourcc: String
        /// The driver's description (`YUYV 4:2:2`, `Motion-JPEG`).
        public var description: String
        public var compressed: Bool
        /// Discrete sizes; for a stepwise or continuous range, its smallest and largest size.
        public var sizes: [Size]
        /// True when ``sizes`` are the ends of a range rather than a list.
        public var sizeRange: Bool
    }

    /// A frame size with its frame rates.
    public struct Size: Sendable, Codable, Equatable {
        public var width: Int
        public var height: Int
        /// Frames per second, fastest first; for a stepwise or continuous range, its fastest and slowest rate.
        public var frameRates: [Double]

        enum CodingKeys: String, CodingKey { case width, height, frameRates = "frame_rates" }
    }

    /// The node (`/dev/video0`).
    public var path: String
    /// Card name, driver and bus; nil when the node could not be queried (see ``error``).
    public var card: String?
    public var driver: String?
    public var bus: String?
    public var capture: Bool
    public var output: Bool
    /// Capture formats (empty for output-only devices).
    public var formats: [Format]
    /// Why the node could not be queried (permission denied, not a V4L2 device…).
    public var error: String?

    enum CodingKeys: String, CodingKey { case path, card, driver, bus, capture, output, formats, error }

    /// Queries every `videoN` node in `directory`, in number order. An empty list means no V4L2 devices.
    public static func list(directory: String = "/dev") -> [V4L2DeviceInfo] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let numbered = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("video"), let n = Int(name.dropFirst("video".count)) else { return nil }
            return (n, name)
        }
        return numbered.sorted { $0.0 < $1.0 }.map { query(directory + "/" + $0.1) }
    }

    /// Queries one node; failures are recorded in ``error``, not thrown, so one bad node does not hide the others.
    public static func query(_ path: String) -> V4L2DeviceInfo {
        do {
            return try query(V4L2Device.open(path, nonBlocking: true))
        } catch {
            return V4L2DeviceInfo(path: path, capture: false, output: false, formats: [], error: error.description)
        }
    }

    static func query(_ device: V4L2Device) throws(StreamError) -> V4L2DeviceInfo {
        let capabilities = try device.capabilities()
        let capture = capabilities.isVideoCapture && !capabilities.isMemoryToMemory
        var formats: [Format] = []
        if capture {
            for description in try device.captureFormats() {
                formats.append(try format(description, on: device))
            }
        }
        return V4L2DeviceInfo(path: device.path, card: capabilities.card, driver: capabilities.driver,
                              bus: capabilities.busInfo, capture: capture,
                              output: capabilities.isVideoOutput && !capabilities.isMemoryToMemory,
                              formats: formats, error: nil)
    }

    private static func format(_ description: v4l2_fmtdesc, on device: V4L2Device) throws(StreamError) -> Format {
        let fourcc = description.pixelformat
        var sizes: [Size] = []
        var isRange = false
        for entry in try device.frameSizes(fourcc: fourcc) {
            if entry.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue {
                sizes.append(try size(entry.discrete.width, entry.discrete.height, fourcc: fourcc, on: device))
            } else {
                isRange = true
                let s = entry.stepwise
                sizes.append(try size(s.min_width, s.min_height, fourcc: fourcc, on: device))
                sizes.append(try size(s.max_width, s.max_height, fourcc: fourcc, on: device))
            }
        }
        let name = withUnsafeBytes(of: description.description) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return Format(fourcc: FourCC.string(fourcc), description: name,
                      compressed: description.flags & UInt32(V4L2_FMT_FLAG_COMPRESSED) != 0,
                      sizes: sizes, sizeRange: isRange)
    }

    private static func size(_ width: UInt32, _ height: UInt32, fourcc: UInt32, on device: V4L2Device) throws(StreamError) -> Size {
        var rates: [Double] = []
        for entry in try device.frameIntervals(fourcc: fourcc, width: width, height: height) {
            if entry.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue {
                rates.append(rate(entry.discrete))
            } else {
                // An interval range: the shortest interval is the fastest rate.
                rates += [rate(entry.stepwise.min), rate(entry.stepwise.max)]
            }
        }
        return Size(width: Int(width), height: Int(height),
                    frameRates: rates.filter { $0 > 0 }.sorted(by: >))
    }

    /// Frames per second of an interval in seconds (numerator/denominator).
    private static func rate(_ interval: v4l2_fract) -> Double {
        interval.numerator == 0 ? 0 : Double(interval.denominator) / Double(interval.numerator)
    }
}
