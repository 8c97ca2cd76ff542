import Foundation
import Testing
@testable import Stream

@Suite("Bad input and output give clear errors")
struct ErrorTests {
    @Test func missingFile() {
        #expect(throws: StreamError.inputNotFound("/no/such/clip.mp4")) { try MediaSource("/no/such/clip.mp4") }
    }

    @Test func garbageFile() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("garbage.mp4").path
        var generator = SystemRandomNumberGenerator()
        try Data((0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StreamError.self) { try Self.decodeEverything(path) }
        #expect(error.map { "\($0)".contains(path) } == true, "the message names the file: \(String(describing: error))")
    }

    @Test func emptyFile() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("empty.mp4").path
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(throws: StreamError.self) { try Self.decodeEverything(path) }
    }

    @Test("truncated media: no crash, no hang; what is there decodes or a clear error")
    func truncatedFile() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // mpegts decodes up to the cut; mp4 with its index at the end cannot be opened at all.
        for (ext, format) in [("ts", "mpegts"), ("mp4", "mp4")] {
            let whole = dir.appendingPathComponent("whole.\(ext)").path
            let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=2")
            var settings = EncoderSettings()
            settings.format = format
            let sink = try MediaSink(whole, video: source.video, audio: nil, settings: settings)
            _ = try Pipeline(source: source, sink: sink, policy: .lossless).run()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
            let cut = dir.appendingPathComponent("cut.\(ext)").path
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
            do {
                let frames = try Self.decodeEverything(cut)
                #expect(ext == "ts", "an mp4 cut in half has no index")
                #expect(frames > 0 && frames < 60)
            } catch let error as StreamError {
                #expect(ext == "mp4", "unexpected error for .\(ext): \(error)")
                #expect("\(error)".contains(cut))
            }
        }
    }

    @Test func noVideoStream() {
        #expect(throws: StreamError.noVideoStream("lavfi:sine=frequency=440:duration=1")) {
            try MediaSource("lavfi:sine=frequency=440:duration=1")
        }
    }

    @Test func unknownOutputExtension() throws {
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=1")
        #expect(throws: StreamError.unknownOutputFormat("/tmp/out.notaformat")) {
            try MediaSink("/tmp/out.notaformat", video: source.video, audio: nil)
        }
        var settings = EncoderSettings()
        settings.format = "nosuchmuxer"
        #expect(throws: StreamError.self) { try MediaSink("/tmp/out.mp4", video: source.video, audio: nil, settings: settings) }
    }

    @Test func unwritableOutput() throws {
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=1")
        let error = #expect(throws: StreamError.self) {
            try MediaSink("/no/such/folder/out.mp4", video: source.video, audio: nil)
        }
        guard case .cannotOpenOutput(let path, _) = error else {
            Issue.record("expected cannotOpenOutput, got \(String(describing: error))")
            return
        }
        #expect(path == "/no/such/folder/out.mp4")
        #expect(throws: StreamError.self) { try ImageSink("/no/such/folder/out.png") }
    }

    @Test(arguments: ["", "1280", "1280x", "axb", "0x720", "1281x720", "99999x2", "-2x4"])
    func badSize(_ text: String) {
        #expect(throws: StreamError.self) { try FrameSize(parsing: text) }
    }

    @Test func goodSize() throws {
        #expect(try FrameSize(parsing: "1280x720") == FrameSize(width: 1280, height: 720))
    }

    private static func decodeEverything(_ path: String) throws -> Int {
        let source = try MediaSource(path)
        var count = 0
        while try source.nextFrame() != nil { count += 1 }
        return count
    }
}
