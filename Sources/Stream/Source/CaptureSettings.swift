import CFFmpeg

/// What to ask a V4L2 camera for: frame size, frame rate and pixel format, passed to FFmpeg's v4l2 demuxer as
/// `video_size`, `framerate` and `input_format` (`facelive devices` lists what a camera offers).
public struct CaptureSettings: Sendable, Equatable {
    public var size: FrameSize?
    public var fps: Double?
    /// An FFmpeg pixel-format name (`yuyv422`, `nv12`) or compressed codec name (`mjpeg`, `h264`).
    public var format: String?

    /// Validates each value; a camera that cannot deliver a valid request fails later, when it is opened.
    public init(size: String? = nil, fps: Double? = nil, format: String? = nil) throws(StreamError) {
        if let size {
            do {
                self.size = try FrameSize(parsing: size)
            } catch {
                throw .invalidCaptureOption(name: "--input-size", value: size, reason: "expected an even WIDTHxHEIGHT, e.g. 1280x720")
            }
        }
        if let fps {
            guard fps > 0, fps <= 1000 else {
                throw .invalidCaptureOption(name: "--input-fps", value: "\(fps)", reason: "must be between 0 and 1000")
            }
            self.fps = fps
        }
        if let format {
            guard Self.isKnownFormat(format) else {
                throw .invalidCaptureOption(name: "--input-format", value: format,
                                            reason: "not an FFmpeg pixel format or codec (try yuyv422, mjpeg, nv12, h264)")
            }
            self.format = format
        }
    }

    /// True when nothing is asked for (the camera's current settings are used).
    public var isEmpty: Bool { size == nil && fps == nil && format == nil }

    /// The v4l2 demuxer options.
    public var demuxerOptions: [String: String] {
        var options: [String: String] = [:]
        if let size { options["video_size"] = size.description }
        if let fps { options["framerate"] = fps == fps.rounded() ? String(Int(fps)) : String(fps) }
        if let format { options["input_format"] = format }
        return options
    }

    /// What the v4l2 demuxer accepts for `input_format`: a pixel format or a decoder name.
    private static func isKnownFormat(_ name: String) -> Bool {
        av_get_pix_fmt(name) != AV_PIX_FMT_NONE || avcodec_find_decoder_by_name(name) != nil
    }
}
