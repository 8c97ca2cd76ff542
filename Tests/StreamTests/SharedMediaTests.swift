import Foundation
import Testing
@testable import Stream

/// Real footage from `../shared/media` (third-party clips: used here, never committed).
@Suite("Shared media clips", .enabled(if: TestMedia.hasSharedMedia, "../shared/media is absent: shared-media tests skipped"))
struct SharedMediaTests {
    @Test("convert keeps every frame and the audio", arguments: TestMedia.sharedVideos.map(\.lastPathComponent))
    func convertKeepsFramesAndAudio(_ name: String) throws {
        let input = TestMedia.shared.appendingPathComponent("media/video/\(name)").path
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.mp4").path

        let inputInfo = try MediaProbe.probe(input)
        let inputVideo = try #require(inputInfo.streams.first { $0.type == "video" })
        let inputHasAudio = inputInfo.streams.contains { $0.type == "audio" }

        let source = try MediaSource(input)
        var settings = EncoderSettings()
        settings.preset = "ultrafast"
        let sink = try MediaSink(output, video: source.video, audio: source.audio, settings: settings)
        let report = try Pipeline(source: source, sink: sink, policy: .lossless).run()

        let outputInfo = try MediaProbe.probe(output)
        let outputVideo = try #require(outputInfo.streams.first { $0.type == "video" })
        #expect(report.frames == inputVideo.frames, "\(name): \(report.frames) frames written of \(inputVideo.frames ?? -1)")
        #expect(outputVideo.frames == inputVideo.frames)
        #expect(outputVideo.codec == "h264")
        #expect(outputInfo.streams.contains { $0.type == "audio" } == inputHasAudio, "\(name): audio kept")
        if let inDuration = inputVideo.durationSeconds, let outDuration = outputVideo.durationSeconds {
            #expect(abs(inDuration - outDuration) < 0.1, "\(name): duration \(outDuration) vs \(inDuration)")
        }
    }
}
