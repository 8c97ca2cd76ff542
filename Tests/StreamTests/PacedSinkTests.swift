import CFFmpeg
import Foundation
import Testing
@testable import Stream

/// The jitter buffer as a sink: order, audio interleaving and errors (its schedule is tested in FramePacerTests).
@Suite("PacedSink")
struct PacedSinkTests {
    /// Records the calls it gets; fails on the frame with index `failAt`.
    final class RecordingSink: FrameSink, @unchecked Sendable {
        var events: [String] = []
        var finishedComplete: Bool?
        var failAt: Int?

        func write(_ frame: VideoFrame) throws(StreamError) {
            if frame.index == failAt { throw .deviceLost("/dev/video10", reason: "No such device") }
            events.append("v\(frame.index)")
        }
        func writeAudio(_ packet: AudioPacket) throws(StreamError) { events.append("a") }
        func finish(complete: Bool) throws(StreamError) { finishedComplete = complete }
    }

    static func frame(_ index: Int) -> VideoFrame {
        VideoFrame(image: RGBImage(width: 16, height: 16), index: index, fps: 30)
    }

    static func audio() -> AudioPacket { AudioPacket(packet: AVPacketBox(), timeBase: AVRational(num: 1, den: 48000)) }

    @Test("frames and audio reach the wrapped sink in order, all of them, then it is finished")
    func order() throws {
        let inner = RecordingSink()
        let sink = PacedSink(wrapping: inner, delay: .milliseconds(2), frameRate: 30)
        for i in 0..<6 {
            try sink.write(Self.frame(i))
            if i % 2 == 1 { try sink.writeAudio(Self.audio()) }
        }
        try sink.finish(complete: true)
        #expect(inner.events == ["v0", "v1", "a", "v2", "v3", "a", "v4", "v5", "a"])
        #expect(inner.finishedComplete == true)
        try sink.finish(complete: true)
    }

    @Test("an error in the wrapped sink comes back on a later write or at finish, and the sink is still finished")
    func errorPropagates() throws {
        let inner = RecordingSink()
        inner.failAt = 2
        let sink = PacedSink(wrapping: inner, delay: .milliseconds(1), frameRate: 30)
        var thrown: StreamError?
        for i in 0..<200 {
            do throws(StreamError) {
                try sink.write(Self.frame(i))
            } catch {
                thrown = error
                break
            }
        }
        let finishError = #expect(throws: StreamError.self) { try sink.finish(complete: true) }
        #expect((thrown ?? finishError) == .deviceLost("/dev/video10", reason: "No such device"))
        #expect(inner.events == ["v0", "v1"], "nothing is written after the failure")
        #expect(inner.finishedComplete == false, "finished as incomplete")
    }

    @Test("in a pipeline: every frame of a lossless run comes out through the buffer")
    func inPipeline() throws {
        let inner = RecordingSink()
        let sink = PacedSink(wrapping: inner, delay: .milliseconds(5), frameRate: 30)
        let report = try Pipeline(source: PatternSource(width: 32, height: 32, fps: 30, count: 12), sink: sink, policy: .lossless).run()
        #expect(report.frames == 12)
        #expect(inner.events == (0..<12).map { "v\($0)" })
    }
}
