import CV4L2

/// The layouts facelive writes to a V4L2 output device.
public enum V4L2PixelFormat: String, Sendable, CaseIterable {
    /// Planar 4:2:0, `YU12` (I420, FFmpeg's yuv420p): Y plane, then U, then V. What browsers and OBS read best.
    case yu12
    /// Packed 4:2:2, `YUYV` (FFmpeg's yuyv422): Y0 U Y1 V. For programs that only take what webcams send.
    case yuyv

    /// Parses `yu12`/`i420`/`yuv420p` or `yuyv`/`yuyv422` (any case).
    public init?(name: String) {
        switch name.lowercased() {
        case "yu12", "i420", "yuv420", "yuv420p": self = .yu12
        case "yuyv", "yuy2", "yuyv422": self = .yuyv
        default: return nil
        }
    }

    /// The V4L2 fourcc.
    var fourcc: UInt32 {
        switch self {
        case .yu12: return CV4L2_PIX_FMT_YUV420
        case .yuyv: return CV4L2_PIX_FMT_YUYV
        }
    }

    /// Bytes per row of the first plane, packed without padding.
    func bytesPerLine(width: Int) -> Int {
        switch self {
        case .yu12: return width
        case .yuyv: return width * 2
        }
    }

    /// Bytes of one whole frame, packed without padding (`width` and `height` are even).
    func frameBytes(_ size: FrameSize) -> Int {
        switch self {
        case .yu12: return size.width * size.height * 3 / 2
        case .yuyv: return size.width * size.height * 2
        }
    }
}
