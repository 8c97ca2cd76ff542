import CFFmpeg
import CV4L2
import Foundation
import Glibc
import Testing
@testable import Stream

@Suite("V4L2 output: real ioctls on files, negotiation with a fake device, byte-exact frames")
struct V4L2SinkTests {
    static let size = FrameSize(width: 320, height: 240)

    static func sink(on fake: FakeV4L2Device, format: V4L2PixelFormat = .yu12, size: FrameSize = size) throws(StreamError) -> V4L2Sink {
        try V4L2Sink(device: V4L2Device(path: "/dev/video10", io: fake), size: size, format: format)
    }

    static func frame(_ index: Int, size: FrameSize = size) -> VideoFrame {
        VideoFrame(image: TestMedia.pattern(width: size.width, height: size.height, index: index), index: index, fps: 30)
    }

    // MARK: - The real open/ioctl path, on things that are not V4L2 devices

    @Test("a regular file is 'not a V4L2 device' (QUERYCAP answers ENOTTY)")
    func regularFile() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("video0").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: StreamError.notAV4L2Device(path)) { try V4L2Sink(path, size: Self.size) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty, "nothing was written")
    }

    @Test("/dev/null is 'not a V4L2 device'")
    func devNull() {
        #expect(throws: StreamError.notAV4L2Device("/dev/null")) { try V4L2Sink("/dev/null", size: Self.size) }
        #expect(StreamError.notAV4L2Device("/dev/null").description == "not a V4L2 device: /dev/null")
    }

    @Test("a missing node is 'no such device'")
    func missingDevice() {
        let error = #expect(throws: StreamError.noSuchDevice("/dev/video99")) { try V4L2Sink("/dev/video99", size: Self.size) }
        #expect(error?.description.hasPrefix("no such device: /dev/video99") == true)
    }

    @Test("a folder cannot be opened as a device: the reason is named")
    func folder() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: StreamError.self) { try V4L2Sink(dir.path, size: Self.size) }
        #expect(error == .deviceFailed(dir.path, operation: "open", reason: String(cString: strerror(EISDIR))))
    }

    @Test("SinkFactory sends v4l2:PATH, /dev/videoN and -f v4l2 to the V4L2 sink")
    func factoryRouting() throws {
        let video = PatternSource(width: 320, height: 240, fps: 30, count: 1).video
        #expect(V4L2Sink.devicePath(for: "v4l2:/dev/video10") == "/dev/video10")
        #expect(V4L2Sink.devicePath(for: "/dev/video3") == "/dev/video3")
        #expect(V4L2Sink.devicePath(for: "out.mp4") == nil)
        #expect(throws: StreamError.notAV4L2Device("/dev/null")) {
            try SinkFactory.open("v4l2:/dev/null", video: video, audio: nil, settings: EncoderSettings())
        }
        var settings = EncoderSettings()
        settings.format = "v4l2"
        #expect(throws: StreamError.notAV4L2Device("/dev/null")) {
            try SinkFactory.open("/dev/null", video: video, audio: nil, settings: settings)
        }
        #expect(throws: StreamError.noSuchDevice("/dev/video99")) {
            try SinkFactory.open("/dev/video99", video: video, audio: nil, settings: EncoderSettings())
        }
    }

    // MARK: - Negotiation with a fake device

    @Test("S_FMT asks for VIDEO_OUTPUT, YU12 at the frame size, progressive, packed rows")
    func setsI420Format() throws {
        let fake = FakeV4L2Device()
        let sink = try Self.sink(on: fake)
        #expect(fake.requests.first == CV4L2_VIDIOC_QUERYCAP, "capabilities are checked before the format is set")
        let format = try #require(fake.requestedFormats.first)
        #expect(fake.requestedFormats.count == 1)
        #expect(format.type == V4L2_BUF_TYPE_VIDEO_OUTPUT.rawValue)
        #expect(format.fmt.pix.pixelformat == CV4L2_PIX_FMT_YUV420)
        #expect(FourCC.string(format.fmt.pix.pixelformat) == "YU12")
        #expect(format.fmt.pix.width == 320 && format.fmt.pix.height == 240)
        #expect(format.fmt.pix.field == V4L2_FIELD_NONE.rawValue)
        #expect(format.fmt.pix.bytesperline == 320)
        #expect(format.fmt.pix.sizeimage == 320 * 240 * 3 / 2)
        #expect(sink.format == .yu12)
    }

    @Test("YUYV: S_FMT contents and two bytes per pixel written")
    func setsYUYVFormat() throws {
        let fake = FakeV4L2Device()
        let sink = try Self.sink(on: fake, format: .yuyv)
        let format = try #require(fake.requestedFormats.first)
        #expect(format.fmt.pix.pixelformat == CV4L2_PIX_FMT_YUYV)
        #expect(format.fmt.pix.bytesperline == 640)
        #expect(format.fmt.pix.sizeimage == 320 * 240 * 2)
        try sink.write(Self.frame(0))
        #expect(fake.writes.map(\.count) == [320 * 240 * 2])
    }

    @Test("one write() of a whole packed I420 frame per frame")
    func writesWholeFrames() throws {
        let fake = FakeV4L2Device()
        let sink = try Self.sink(on: fake)
        for i in 0..<5 { try sink.write(Self.frame(i)) }
        try sink.finish(complete: true)
        #expect(fake.writes.map(\.count) == Array(repeating: 320 * 240 * 3 / 2, count: 5))
        #expect(fake.writes[0] != fake.writes[4], "each write carries its own picture")
        #expect(sink.framesWritten == 5 && !sink.isOpen)
    }

    @Test("a capture-only node (a webcam) is refused, naming its card")
    func captureDeviceRefused() {
        let fake = FakeV4L2Device()
        fake.card = "Integrated Camera"
        fake.capabilities = UInt32(V4L2_CAP_VIDEO_CAPTURE) | V4L2_CAP_DEVICE_CAPS
        fake.deviceCaps = UInt32(V4L2_CAP_VIDEO_CAPTURE)
        let error = #expect(throws: StreamError.notAnOutputDevice("/dev/video10", card: "Integrated Camera")) { try Self.sink(on: fake) }
        #expect(error?.description.contains("not a video output device: /dev/video10 (Integrated Camera)") == true)
        #expect(fake.requestedFormats.isEmpty, "no format is set on a device that is not an output")
    }

    @Test("device_caps decides when V4L2_CAP_DEVICE_CAPS is set; capabilities otherwise")
    func deviceCapsHonoured() throws {
        // The device as a whole can output, but this node only captures.
        let captureNode = FakeV4L2Device()
        captureNode.capabilities = UInt32(V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_OUTPUT) | V4L2_CAP_DEVICE_CAPS
        captureNode.deviceCaps = UInt32(V4L2_CAP_VIDEO_CAPTURE)
        #expect(throws: StreamError.self) { try Self.sink(on: captureNode) }
        // An old driver without device_caps: the whole-device bits count, device_caps is ignored.
        let oldDriver = FakeV4L2Device()
        oldDriver.capabilities = UInt32(V4L2_CAP_VIDEO_OUTPUT)
        oldDriver.deviceCaps = 0
        _ = try Self.sink(on: oldDriver)
        // A memory-to-memory codec has both directions but is no virtual camera.
        let codec = FakeV4L2Device()
        codec.deviceCaps = UInt32(V4L2_CAP_VIDEO_M2M)
        codec.capabilities = codec.deviceCaps | V4L2_CAP_DEVICE_CAPS
        #expect(throws: StreamError.self) { try Self.sink(on: codec) }
    }

    @Test("a driver that changes the format: the error names what was asked and what came back")
    func changedFormat() {
        let fake = FakeV4L2Device()
        fake.answerFormat = { request in
            var answer = request
            answer.fmt.pix.pixelformat = CV4L2_PIX_FMT_YUYV
            answer.fmt.pix.width = 640
            answer.fmt.pix.height = 480
            answer.fmt.pix.bytesperline = 1280
            answer.fmt.pix.sizeimage = 640 * 480 * 2
            return answer
        }
        let error = #expect(throws: StreamError.self) { try Self.sink(on: fake) }
        guard case .deviceFormatRefused(let path, let requested, let answer) = error else {
            Issue.record("expected deviceFormatRefused, got \(String(describing: error))")
            return
        }
        #expect(path == "/dev/video10")
        #expect(requested.hasPrefix("YU12 320x240"))
        #expect(answer.contains("YUYV 640x480"))
        #expect(error?.description.split(separator: "\n").count == 1, "one line")
    }

    @Test("padded rows or a smaller buffer are refused; a larger buffer is fine")
    func bufferGeometry() throws {
        let padded = FakeV4L2Device()
        padded.answerFormat = { var a = $0; a.fmt.pix.bytesperline = 384; return a }
        #expect(throws: StreamError.self) { try Self.sink(on: padded) }
        let small = FakeV4L2Device()
        small.answerFormat = { var a = $0; a.fmt.pix.sizeimage -= 1; return a }
        #expect(throws: StreamError.self) { try Self.sink(on: small) }
        let pageAligned = FakeV4L2Device()
        pageAligned.answerFormat = { var a = $0; a.fmt.pix.sizeimage = 118_784; a.fmt.pix.bytesperline = 0; return a }
        let sink = try Self.sink(on: pageAligned)
        try sink.write(Self.frame(0))
        #expect(pageAligned.writes.map(\.count) == [115_200], "the frame itself, not the driver's buffer size")
    }

    @Test("S_FMT refused outright (EINVAL) → deviceFormatRefused")
    func refusedFormat() {
        let fake = FakeV4L2Device()
        fake.answerFormat = { _ throws(SystemCallError) in throw SystemCallError(code: EINVAL) }
        let error = #expect(throws: StreamError.self) { try Self.sink(on: fake) }
        guard case .deviceFormatRefused(_, let requested, _) = error else {
            Issue.record("expected deviceFormatRefused, got \(String(describing: error))")
            return
        }
        #expect(requested.hasPrefix("YU12 320x240"))
    }

    @Test("the device disappears mid-stream (ENODEV): the pipeline stops with 'device lost' and closes the sink")
    func deviceLostMidStream() throws {
        let fake = FakeV4L2Device()
        fake.writeFailure[3] = SystemCallError(code: ENODEV)
        let sink = try Self.sink(on: fake)
        let pipeline = Pipeline(source: PatternSource(width: 320, height: 240, fps: 30, count: 10), sink: sink, policy: .lossless)
        #expect(throws: StreamError.deviceLost("/dev/video10", reason: String(cString: strerror(ENODEV)))) { try pipeline.run() }
        #expect(fake.writes.count == 3 && sink.framesWritten == 3)
        #expect(!sink.isOpen, "finish closed the device")
        #expect(StreamError.deviceLost("/dev/video10", reason: "No such device").description == "device lost: /dev/video10 (No such device)")
    }

    @Test("EIO on write is 'device lost' too; a short write is an error naming the byte counts")
    func writeFailures() throws {
        let io = FakeV4L2Device()
        io.writeFailure[0] = SystemCallError(code: EIO)
        #expect(throws: StreamError.deviceLost("/dev/video10", reason: String(cString: strerror(EIO)))) {
            try Self.sink(on: io).write(Self.frame(0))
        }
        let short = FakeV4L2Device()
        short.shortWrite[1] = 1000
        let sink = try Self.sink(on: short)
        try sink.write(Self.frame(0))
        let error = #expect(throws: StreamError.self) { try sink.write(Self.frame(1)) }
        #expect(error == .deviceFailed("/dev/video10", operation: "write a frame to", reason: "short write, 1000 of 115200 bytes"))
        try sink.finish(complete: false)
        try sink.finish(complete: false)
        #expect(!sink.isOpen)
    }

    // MARK: - Bytes

    /// A frame whose yuv420p picture has padded rows (FFmpeg aligns a 322-pixel row to a longer line).
    static func paddedFrame() throws -> (VideoFrame, AVFrameBox) {
        let frame = Self.frame(7, size: FrameSize(width: 322, height: 242))
        return (frame, try frame.encoderFrame())
    }

    /// What FFmpeg's rawvideo encoder (the packets its rawvideo and v4l2 muxers write) makes of `picture`.
    static func rawvideo(_ picture: AVFrameBox) throws -> [UInt8] {
        let codec = try #require(avcodec_find_encoder(AV_CODEC_ID_RAWVIDEO))
        var ctx = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&ctx) }
        let c = try #require(ctx)
        c.pointee.width = Int32(picture.width)
        c.pointee.height = Int32(picture.height)
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.time_base = AVRational(num: 1, den: 30)
        #expect(avcodec_open2(c, codec, nil) >= 0)
        #expect(avcodec_send_frame(c, picture.pointer) >= 0)
        let packet = AVPacketBox()
        #expect(avcodec_receive_packet(c, packet.pointer) >= 0)
        return Array(UnsafeBufferPointer(start: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size)))
    }

    @Test("YU12 bytes equal FFmpeg's rawvideo output for the same frame (row padding removed)")
    func i420MatchesRawvideo() throws {
        let (frame, picture) = try Self.paddedFrame()
        #expect(picture.pixelFormat == AV_PIX_FMT_YUV420P)
        #expect(Int(picture.pointer.pointee.linesize.0) > 322, "the test frame has padded rows")
        let reference = try Self.rawvideo(picture)
        #expect(reference.count == 322 * 242 * 3 / 2)

        let fake = FakeV4L2Device()
        let sink = try Self.sink(on: fake, size: FrameSize(width: 322, height: 242))
        try sink.write(frame)
        #expect(Self.firstDifference(fake.writes.first, reference) == nil)
    }

    /// Index of the first byte where `written` and `reference` differ (or their length differs); nil when equal.
    /// Keeps a failure message short instead of printing both frames.
    static func firstDifference(_ written: [UInt8]?, _ reference: [UInt8]) -> Int? {
        guard let written else { return 0 }
        if let i = written.indices.first(where: { $0 < reference.count && written[$0] != reference[$0] }) { return i }
        return written.count == reference.count ? nil : min(written.count, reference.count)
    }

    @Test("YUYV bytes: Y0 U Y1 V, each chroma row serving two picture rows")
    func yuyvPacking() throws {
        let (frame, picture) = try Self.paddedFrame()
        let (w, h) = (322, 242)
        let p = picture.pointer.pointee
        func plane(_ data: UnsafeMutablePointer<UInt8>?, _ stride: Int32, _ x: Int, _ y: Int) -> UInt8 { data![y * Int(stride) + x] }
        var reference: [UInt8] = []
        for y in 0..<h {
            for x in stride(from: 0, to: w, by: 2) {
                reference += [plane(p.data.0, p.linesize.0, x, y), plane(p.data.1, p.linesize.1, x / 2, y / 2),
                              plane(p.data.0, p.linesize.0, x + 1, y), plane(p.data.2, p.linesize.2, x / 2, y / 2)]
            }
        }
        let fake = FakeV4L2Device()
        let sink = try Self.sink(on: fake, format: .yuyv, size: FrameSize(width: w, height: h))
        try sink.write(frame)
        #expect(reference.count == w * h * 2)
        #expect(Self.firstDifference(fake.writes.first, reference) == nil)
    }

    // MARK: - A real virtual camera, when the machine has one

    static let loopbackDevice: String? = V4L2DeviceInfo.list().first { $0.output && $0.error == nil }?.path

    @Test("frames reach a real v4l2loopback device", .enabled(if: loopbackDevice != nil, "no V4L2 output device (v4l2loopback not loaded): skipped"))
    func realLoopback() throws {
        let path = try #require(Self.loopbackDevice)
        let sink = try V4L2Sink(path, size: Self.size)
        let pipeline = Pipeline(source: PatternSource(width: 320, height: 240, fps: 30, count: 15), sink: sink, policy: .lossless)
        let report = try pipeline.run()
        #expect(report.frames == 15 && sink.framesWritten == 15)
    }
}
