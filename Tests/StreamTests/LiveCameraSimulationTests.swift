import Foundation
import Testing
@testable import Stream

/// A simulated live camera: a test pattern paced in real time, encoded to mpegts and sent over UDP loopback by a
/// second pipeline on another thread; the pipeline under test reads it as a live network input.
@Suite("Simulated live camera over UDP", .serialized)
struct LiveCameraSimulationTests {
    /// Starts the camera: `seconds` of 320×240 at 30 fps to udp://127.0.0.1:`port`; returns when it has finished.
    static func startCamera(port: Int, seconds: Int) -> Thread {
        let thread = Thread {
            do {
                let pattern = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=\(seconds)")
                var settings = EncoderSettings()
                settings.format = "mpegts"
                settings.preset = "ultrafast"
                settings.tune = "zerolatency"
                settings.gopSize = 10
                let sink = try MediaSink("udp://127.0.0.1:\(port)?pkt_size=1316", video: pattern.video, audio: nil,
                                         settings: settings)
                _ = try Pipeline(source: RealtimeSource(pattern), sink: sink, policy: .live).run()
            } catch {
                Issue.record("camera failed: \(error)")
            }
        }
        thread.start()
        return thread
    }

    /// Reads the camera through a live pipeline whose one stage takes `stageDelay`; returns the report and the drop
    /// count seen when frame `warmUp` reached the stage (the start-up burst — packets buffered while the stream was
    /// probed — arrives at once and is legitimately dropped down to the freshest frame).
    static func runReceiver(port: Int, stageDelay: TimeInterval, frames: Int, warmUp: Int)
        throws -> (report: PipelineReport, dropsAfterWarmUp: Int) {
        let source = try MediaSource("udp://127.0.0.1:\(port)?timeout=5000000")
        #expect(source.isLive)
        let box = PipelineBox()
        let warmDrops = DropCounter()
        let stage = ClosureProcessor(name: "work") { frame in
            _ = try frame.image
            if frame.index == warmUp, let pipeline = box.pipeline { warmDrops.value = pipeline.progress.drops }
            Thread.sleep(forTimeInterval: stageDelay)
        }
        let pipeline = Pipeline(source: source, processors: [stage], sink: NullSink(), policy: .live, maxFrames: frames)
        box.pipeline = pipeline
        let report = try pipeline.run()
        return (report, report.drops - warmDrops.value)
    }

    @Test("a stage that keeps up: after start-up no drops, no queue growth, low latency")
    func keepsUp() throws {
        let port = Int.random(in: 20000..<30000)
        let camera = Self.startCamera(port: port, seconds: 5)
        let (report, laterDrops) = try Self.runReceiver(port: port, stageDelay: 0.002, frames: 90, warmUp: 20)
        #expect(report.framesIn == 90)
        #expect(report.frames + report.drops == report.framesIn)
        // A stage 15× faster than the camera drops nothing in steady state; allow a few for scheduling hiccups when
        // the machine is busy with other tests (this suite runs beside them).
        #expect(laterDrops <= 3, "\(laterDrops) frames dropped in steady state")
        #expect(report.maxQueueDepth <= 1)
        #expect(report.latency.p50 < 50, "p50 \(report.latency.p50) ms")
        while !camera.isFinished { Thread.sleep(forTimeInterval: 0.05) }
    }

    @Test("a stage slower than the camera: frames are dropped and counted, latency stays bounded")
    func slowStageDrops() throws {
        let port = Int.random(in: 30000..<40000)
        let camera = Self.startCamera(port: port, seconds: 5)
        // 60 ms per frame against a 33 ms camera: about every other frame must go, all the time.
        let (report, laterDrops) = try Self.runReceiver(port: port, stageDelay: 0.060, frames: 90, warmUp: 10)
        #expect(report.framesIn == 90)
        #expect(report.frames + report.drops == report.framesIn, "every frame is written or counted as dropped")
        #expect(laterDrops >= 20, "\(laterDrops) drops in steady state")
        #expect(report.maxQueueDepth <= 1, "queues never grow")
        // Bounded: at most one frame waiting plus the one in the stage (≈ 2 × 60 ms), never growing.
        #expect(report.latency.max < 250, "max latency \(report.latency.max) ms")
        while !camera.isFinished { Thread.sleep(forTimeInterval: 0.05) }
    }
}

final class DropCounter: @unchecked Sendable {
    var value = 0
}
