import Foundation
import Synchronization
import Testing
@testable import Stream

@Suite("Pipeline policies")
struct PipelinePolicyTests {
    /// lavfi makes frames as fast as it can: a source much faster than a 15 ms stage.
    static let fastSource = "lavfi:testsrc2=size=320x240:rate=30:duration=4"
    static func slowStage() -> ClosureProcessor {
        ClosureProcessor(name: "slow") { _ in Thread.sleep(forTimeInterval: 0.015) }
    }

    @Test("live: a slow stage makes the source drop and count stale frames; queues stay bounded")
    func liveDrops() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try MediaSource(Self.fastSource)
        let sink = try MediaSink(dir.appendingPathComponent("live.mp4").path, video: source.video, audio: nil)
        let report = try Pipeline(source: source, processors: [Self.slowStage()], sink: sink, policy: .live).run()
        #expect(report.framesIn == 120)
        #expect(report.drops > 0)
        #expect(report.frames + report.drops == report.framesIn, "every frame is either written or counted as dropped")
        #expect(report.maxQueueDepth <= 1, "live queues never grow")
        #expect(try TestMedia.decodeAll(dir.appendingPathComponent("live.mp4").path).count == report.frames)
    }

    @Test("lossless: the same slow stage holds the source back; nothing is dropped, timestamps kept")
    func losslessKeepsEverything() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lossless.mp4").path
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=1")
        let sink = try MediaSink(path, video: source.video, audio: nil)
        let report = try Pipeline(source: source, processors: [Self.slowStage()], sink: sink, policy: .lossless).run()
        #expect(report.drops == 0)
        #expect(report.frames == 30 && report.framesIn == 30)
        let frames = try TestMedia.decodeAll(path)
        #expect(frames.count == 30)
        for (index, frame) in frames.enumerated() {
            #expect(abs(frame.time - Double(index) / 30) < 1e-6, "frame \(index) at \(frame.time) s")
        }
    }

    @Test("stages run in parallel and every stage is timed")
    func stagesAreTimed() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=1")
        let sink = try MediaSink(dir.appendingPathComponent("t.mp4").path, video: source.video, audio: nil)
        let invert = ClosureProcessor(name: "invert") { frame in
            try frame.modifyImage { image in for i in image.pixels.indices { image.pixels[i] = 255 &- image.pixels[i] } }
        }
        let report = try Pipeline(source: source, processors: [invert, ClosureProcessor(name: "noop") { _ in }],
                                  sink: sink, policy: .lossless).run()
        for stage in ["decode", "convert", "invert", "noop", "encode"] {
            #expect(report.stages[stage]?.count == 30, "stage \(stage)")
        }
        #expect(report.latency.p50 > 0 && report.latency.p99 >= report.latency.p50)
    }

    @Test("what stages measure besides time reaches the report under their names; stages with none are left out")
    func stageMeasurementsAreReported() throws {
        let source = try MediaSource("lavfi:testsrc2=size=64x48:rate=30:duration=0.5")
        let counter = FrameCounter()
        let report = try Pipeline(source: source, processors: [counter, ClosureProcessor(name: "noop") { _ in }],
                                  sink: NullSink(), policy: .lossless).run()
        #expect(report.measurements == ["counter": ["frames": 15]])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        #expect((json?["measurements"] as? [String: [String: Double]])?["counter"]?["frames"] == 15)
    }

    @Test("a stop request mid-way leaves a file that decodes")
    func interruptedEncodePlays() throws {
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cut.mp4").path
        // No duration: this source never ends by itself.
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30[out0];sine=frequency=300[out1]")
        let sink = try MediaSink(path, video: source.video, audio: nil)
        let box = PipelineBox()
        let stopper = ClosureProcessor(name: "stopper") { frame in
            if frame.index == 45 { box.pipeline?.cancel() }
        }
        let pipeline = Pipeline(source: source, processors: [stopper], sink: sink, policy: .lossless)
        box.pipeline = pipeline
        let report = try pipeline.run()
        #expect(!report.complete)
        #expect(report.frames >= 46)
        #expect(try TestMedia.decodeAll(path).count == report.frames)
    }

    @Test("an error in a stage stops the run, closes the output and is reported")
    func stageErrorPropagates() throws {
        struct Boom: Error {}
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("err.mp4").path
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=2")
        let sink = try MediaSink(path, video: source.video, audio: nil)
        let failing = ClosureProcessor(name: "fail") { frame in if frame.index == 20 { throw Boom() } }
        #expect(throws: Boom.self) { try Pipeline(source: source, processors: [failing], sink: sink, policy: .lossless).run() }
        #expect(try TestMedia.decodeAll(path).count == 20, "frames before the error are kept")
    }

    @Test("frames in flight are bounded by bytes: a budget of one frame keeps one frame between decoder and output")
    func inFlightBoundedByBytes() throws {
        for (budget, limit) in [(64 * 48 * 3, 1), (64 * 48 * 3 * 3, 3)] {
            let run = try Self.mostInFlight(slowStageLast: false, delay: 0.002, queueBytes: budget)
            #expect(run.frames == 30)
            #expect(run.most <= limit, "at most \(limit) in flight")
            #expect(run.most >= 1)
        }
    }

    @Test("however small the frames, a lossless run keeps one frame per stage and one waiting, not full queues")
    func inFlightBoundedByStages() throws {
        // The slow stage is last, so without the cap the decoder would fill every queue before it (7 frames).
        let run = try Self.mostInFlight(slowStageLast: true, delay: 0.005)
        #expect(run.frames == 30)
        #expect(run.most == Pipeline.framesInFlight(stages: 2), "the cap is reached and holds")
    }

    /// One second of 64×48 frames through a lossless run of two stages, one of them slow (`delay` per frame) and
    /// watching how many frames are between decoder and output: the frames written and the most in flight.
    private static func mostInFlight(slowStageLast: Bool, delay: Double,
                                     queueBytes: Int = Pipeline.defaultQueueBytes) throws -> (frames: Int, most: Int) {
        let source = try MediaSource("lavfi:testsrc2=size=64x48:rate=30:duration=1")
        let box = PipelineBox()
        let most = Mutex(0)
        let watcher = ClosureProcessor(name: "watch") { frame in
            // At the first frame the watcher holds on (up to 10 s) until the decoder stops adding frames, so on a
            // loaded machine a slow decoder still gets to fill what the cap allows before the count is judged.
            var settled = 0, last = -1
            let deadline = Date().addingTimeInterval(frame.index == 0 ? 10 : 0)
            repeat {
                guard let progress = box.pipeline?.progress else { return }
                let inFlight = progress.framesIn - progress.framesOut
                most.withLock { $0 = max($0, inFlight) }
                settled = inFlight == last ? settled + 1 : 0
                last = inFlight
                if frame.index == 0 { Thread.sleep(forTimeInterval: 0.01) }
            } while frame.index == 0 && settled < 30 && Date() < deadline
            Thread.sleep(forTimeInterval: delay)
        }
        let noop = ClosureProcessor(name: "noop") { _ in }
        let pipeline = Pipeline(source: source, processors: slowStageLast ? [noop, watcher] : [watcher, noop],
                                sink: NullSink(), policy: .lossless, queueBytes: queueBytes)
        box.pipeline = pipeline
        let report = try pipeline.run()
        return (report.frames, most.withLock { $0 })
    }

    @Test("the default byte budget keeps one 8K frame in flight, a few 4K ones, and leaves 1080p to the stage count")
    func byteBudgetBySize() {
        func slots(_ width: Int, _ height: Int) -> Int {
            InFlightLimit(bytes: Pipeline.defaultQueueBytes, frameBytes: width * height * 3, minimum: 1,
                          maximum: Pipeline.framesInFlight(stages: 4)).slots
        }
        #expect(slots(7680, 4320) == 1)
        #expect(slots(3840, 2160) >= 4)
        #expect(slots(1920, 1080) == Pipeline.framesInFlight(stages: 4))
    }

    @Test("x264 is told to keep fewer pictures where its usual ones would pass the memory budget")
    func x264Footprint() {
        let budget = EncoderSettings().memoryBudget
        #expect(X264Footprint.within(budget, pictureBytes: 1280 * 720 * 3 / 2) == nil, "720p: usual settings")
        #expect(X264Footprint.within(budget, pictureBytes: 1920 * 1080 * 3 / 2) == .slicedShortLookahead)
        #expect(X264Footprint.within(budget, pictureBytes: 7680 * 4320 * 3 / 2) == .minimal, "8K: the least, even past the budget")
    }

    @Test("an error in a stage leaves a file the output would replace as it was, and no partial file")
    func stageErrorKeepsExistingFile() throws {
        struct Boom: Error {}
        let dir = try TestMedia.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("good.mp4").path
        try Data("a good file".utf8).write(to: URL(fileURLWithPath: path))
        let source = try MediaSource("lavfi:testsrc2=size=320x240:rate=30:duration=2")
        let sink = try MediaSink(path, video: source.video, audio: nil)
        let failing = ClosureProcessor(name: "fail") { frame in if frame.index == 20 { throw Boom() } }
        #expect(throws: Boom.self) { try Pipeline(source: source, processors: [failing], sink: sink, policy: .lossless).run() }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("a good file".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["good.mp4"])
    }
}

/// A stage that measures something: the frames it saw.
final class FrameCounter: FrameProcessor {
    let name = "counter"
    private var frames = 0
    func process(_ frame: VideoFrame) throws { frames += 1 }
    var measurements: [String: Double] { ["frames": Double(frames)] }
}

final class PipelineBox: @unchecked Sendable {
    var pipeline: Pipeline?
}
