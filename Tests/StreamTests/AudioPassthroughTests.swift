import Foundation
import Testing
@testable import Stream
import CFFmpeg

@Suite("Audio pass-through")
struct AudioPassthroughTests {
    /// A two-second test pattern with a 440 Hz tone (PCM), as lavfi makes it.
    static let toneInput = "lavfi:testsrc2=size=320x240:rate=30:duration=2[out0];sine=frequency=440:sample_rate=48000:duration=2[out1]"

    @Test("audio is copied into containers that take it, same duration as the video ±1 frame")
    func audioKept() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tone.mkv").path
        let source = try MediaSource(Self.toneInput)
        let audio = try #require(source.audio)
        #expect(audio.codec.hasPrefix("pcm"))
        let sink = try MediaSink(path, video: source.video, audio: audio)
        _ = try Pipeline(source: source, sink: sink, policy: .lossless).run()

        let info = try MediaProbe.probe(path)
        let video = try #require(info.streams.first { $0.type == "video" })
        let sound = try #require(info.streams.first { $0.type == "audio" })
        #expect(sound.codec == audio.codec, "copied, not re-encoded")
        let videoDuration = Double(video.frames ?? 0) / 30
        let audioDuration = try Self.audioDuration(path)
        #expect(abs(audioDuration - videoDuration) <= 1.0 / 30, "audio \(audioDuration) s vs video \(videoDuration) s")
    }

    @Test("a frame limit trims the audio to the video written")
    func audioTrimmed() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("short.mkv").path
        let source = try MediaSource(Self.toneInput)
        let sink = try MediaSink(path, video: source.video, audio: source.audio)
        let report = try Pipeline(source: source, sink: sink, policy: .lossless, maxFrames: 15).run()
        #expect(report.frames == 15)
        #expect(!report.complete)
        let audioDuration = try Self.audioDuration(path)
        #expect(abs(audioDuration - 0.5) <= 1.0 / 30 + 0.03, "audio \(audioDuration) s for 0.5 s of video")
    }

    @Test("a container that cannot carry the audio drops it with a warning")
    func audioDroppedWithWarning() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tone.flv").path
        let source = try MediaSource(Self.toneInput)
        let sink = try MediaSink(path, video: source.video, audio: source.audio)
        _ = try Pipeline(source: source, sink: sink, policy: .lossless).run()
        #expect(sink.warnings.contains { $0.contains("audio") })
        #expect(try MediaProbe.probe(path).streams.map(\.type) == ["video"])
    }

    /// Sum of the audio packets' durations.
    static func audioDuration(_ path: String) throws -> Double {
        let ctx = try InputContext(.file(path), name: path)
        let index = try #require(ctx.streams.firstIndex { $0.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO })
        let tb = ctx.streams[index].pointee.time_base
        let packet = AVPacketBox()
        var total: Int64 = 0
        while av_read_frame(ctx.pointer, packet.pointer) >= 0 {
            if Int(packet.pointer.pointee.stream_index) == index { total += packet.pointer.pointee.duration }
            av_packet_unref(packet.pointer)
        }
        return Double(total) * tb.doubleValue
    }
}
