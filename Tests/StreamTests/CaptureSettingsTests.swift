import Testing
@testable import Stream

@Suite("Webcam capture options")
struct CaptureSettingsTests {
    @Test("map to the v4l2 demuxer's video_size, framerate and input_format")
    func demuxerOptions() throws {
        let settings = try CaptureSettings(size: "1280x720", fps: 30, format: "mjpeg")
        #expect(settings.demuxerOptions == ["video_size": "1280x720", "framerate": "30", "input_format": "mjpeg"])
        #expect(try CaptureSettings(fps: 29.97).demuxerOptions == ["framerate": "29.97"])
        #expect(try CaptureSettings(format: "yuyv422").demuxerOptions == ["input_format": "yuyv422"])
        #expect(try CaptureSettings().isEmpty)
    }

    @Test("bad values are refused with the option named", arguments: [
        ("1280", nil, nil, "--input-size"), ("641x480", nil, nil, "--input-size"),
        (nil, 0.0, nil, "--input-fps"), (nil, -5.0, nil, "--input-fps"),
        (nil, nil, "yuv9000", "--input-format"),
    ] as [(String?, Double?, String?, String)])
    func refused(_ size: String?, _ fps: Double?, _ format: String?, _ option: String) {
        let error = #expect(throws: StreamError.self) { try CaptureSettings(size: size, fps: fps, format: format) }
        #expect(error?.description.hasPrefix("invalid \(option) ") == true, "\(String(describing: error))")
    }
}
