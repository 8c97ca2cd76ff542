import Foundation
import Testing
@testable import Stream

@Suite("Encode → decode round trip")
struct EncodeDecodeTests {
    @Test("frames keep count, size, timestamps and quality", arguments: [0, 18])
    func roundTrip(crf: Int) throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("round.mp4").path
        let source = PatternSource(width: 320, height: 240, fps: 25, count: 40)
        var settings = EncoderSettings()
        settings.crf = crf
        settings.preset = "ultrafast"
        let sink = try MediaSink(path, video: source.video, audio: nil, settings: settings)
        let report = try Pipeline(source: source, sink: sink, policy: .lossless).run()
        #expect(report.frames == 40)
        #expect(report.complete)

        let decoded = try TestMedia.decodeAll(path)
        #expect(decoded.count == 40)
        for (index, frame) in decoded.enumerated() {
            #expect(frame.image.width == 320 && frame.image.height == 240)
            #expect(abs(frame.time - Double(index) / 25) < 1e-6, "frame \(index) at \(frame.time)")
            let psnr = TestMedia.psnr(frame.image, TestMedia.pattern(width: 320, height: 240, index: index))
            #expect(psnr >= 40, "frame \(index): PSNR \(psnr) dB at crf \(crf)")
        }
    }

    @Test("the file's metadata is written in key order, so the same job writes the same bytes in any process")
    func metadataInKeyOrder() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tagged.mp4").path
        let source = PatternSource(width: 64, height: 48, fps: 25, count: 3)
        var settings = EncoderSettings()
        settings.preset = "ultrafast"
        // Eight keys: a dictionary's own order puts them in key order once in 40 320 processes.
        let keys = ["comment", "title", "artist", "album", "genre", "copyright", "description", "synopsis"]
        settings.metadata = Dictionary(uniqueKeysWithValues: keys.map { ($0, "value of \($0)") })
        let sink = try MediaSink(path, video: source.video, audio: nil, settings: settings)
        try Pipeline(source: source, sink: sink, policy: .lossless).run()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let offsets = try keys.sorted().map { key in
            try #require(bytes.range(of: Data("value of \(key)".utf8)), "\(key) is in the file").lowerBound
        }
        #expect(offsets == offsets.sorted(), "values at \(offsets) for keys \(keys.sorted())")
    }

    @Test("--size scales and --fps resamples")
    func scaleAndResample() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("scaled.mkv").path
        let options = SourceOptions(size: FrameSize(width: 160, height: 120), fps: 15)
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=2", options: options)
        let sink = try MediaSink(path, video: source.video, audio: nil)
        let report = try Pipeline(source: source, sink: sink, policy: .lossless).run()
        #expect(report.frames == 30)
        let info = try MediaProbe.probe(path)
        let video = try #require(info.streams.first { $0.type == "video" })
        #expect(video.width == 160 && video.height == 120)
        #expect(video.frames == 30)
        #expect(abs((video.frameRate ?? 0) - 15) < 0.01)
    }

    @Test("PNG still in, PNG still out")
    func stillImage() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = TestMedia.pattern(width: 64, height: 48, index: 3)
        let input = dir.appendingPathComponent("in.png").path
        try PNGEncoder.write(image, to: input)
        let output = dir.appendingPathComponent("out.png").path
        let source = try MediaSource(input)
        let sink = try SinkFactory.open(output, video: source.video, audio: nil, settings: EncoderSettings())
        _ = try Pipeline(source: source, processors: [ClosureProcessor(name: "touch") { _ = try $0.image }],
                         sink: sink, policy: .lossless).run()
        let back = try TestMedia.decodeAll(output)
        #expect(back.count == 1)
        #expect(back[0].image == image, "PNG is lossless and RGB → RGB is exact")
    }
}
