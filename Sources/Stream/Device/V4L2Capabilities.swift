import CV4L2

/// What VIDIOC_QUERYCAP says about a device node.
public struct V4L2Capabilities: Sendable, Equatable {
    /// Driver name (`uvcvideo`, `v4l2 loopback`…).
    public var driver: String
    /// The device's human name (`Integrated Camera`, the loopback's `card_label`).
    public var card: String
    /// Where it sits (`usb-0000:00:14.0-8`, `platform:v4l2loopback-000`).
    public var busInfo: String
    /// `V4L2_CAP_*` bits of this node: `device_caps` when the driver fills it, else the whole device's.
    public var nodeCapabilities: UInt32

    /// Reads the C struct. `device_caps` describes this node; `capabilities` covers every node of a
    /// multi-node device, so it is only the fallback for drivers without V4L2_CAP_DEVICE_CAPS.
    init(_ cap: v4l2_capability) {
        driver = Self.string(cap.driver)
        card = Self.string(cap.card)
        busInfo = Self.string(cap.bus_info)
        nodeCapabilities = cap.capabilities & V4L2_CAP_DEVICE_CAPS != 0 ? cap.device_caps : cap.capabilities
    }

    public init(driver: String, card: String, busInfo: String, nodeCapabilities: UInt32) {
        self.driver = driver
        self.card = card
        self.busInfo = busInfo
        self.nodeCapabilities = nodeCapabilities
    }

    /// Frames can be written to it (a v4l2loopback device, an encoder's input).
    public var isVideoOutput: Bool { has(V4L2_CAP_VIDEO_OUTPUT) || has(V4L2_CAP_VIDEO_OUTPUT_MPLANE) }
    /// Frames can be read from it (a webcam, a loopback device another program writes).
    public var isVideoCapture: Bool { has(V4L2_CAP_VIDEO_CAPTURE) || has(V4L2_CAP_VIDEO_CAPTURE_MPLANE) }
    /// A memory-to-memory device (codec, scaler): both directions, but not a camera.
    public var isMemoryToMemory: Bool { has(V4L2_CAP_VIDEO_M2M) || has(V4L2_CAP_VIDEO_M2M_MPLANE) }

    private func has(_ flag: Int32) -> Bool { nodeCapabilities & UInt32(flag) != 0 }

    /// A NUL-terminated `char[N]` field, imported as a tuple of bytes.
    private static func string<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// Four-character codes of V4L2 pixel formats.
enum FourCC {
    /// `0x32315559` → `YU12`.
    static func string(_ code: UInt32) -> String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: code >> (8 * $0)) }
        return String(decoding: bytes, as: UTF8.self).trimmingSuffix(" ")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ character: Character) -> String {
        var s = self
        while s.last == character { s.removeLast() }
        return s
    }
}
