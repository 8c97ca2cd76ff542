import Testing
@testable import Stream

/// The jitter buffer's schedule, with time passed in: every instant is `base + offset`, no sleeping.
@Suite("Target-delay pacing schedule")
struct FramePacerTests {
    let base = ContinuousClock.now
    let interval = Duration.seconds(1.0 / 30)

    func at(_ ms: Double) -> ContinuousClock.Instant { base + .microseconds(Int64((ms * 1000).rounded())) }
    func ms(_ instant: ContinuousClock.Instant) -> Double { (instant - base).seconds * 1000 }
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.01 }

    @Test("jittery capture and processing in, an even cadence a fixed delay after capture out")
    func evenCadence() {
        var pacer = FramePacer(delay: .milliseconds(200), frameInterval: interval)
        let captureJitter: [Double] = [0, 6, -4, 9, -7, 2, 8, -5, 0, 3]
        let processing: [Double] = [40, 120, 15, 90, 60, 150, 20, 30, 110, 45]
        var releases: [Double] = []
        for k in 0..<10 {
            let captured = Double(k) * 1000 / 30 + captureJitter[k]
            releases.append(ms(pacer.release(capturedAt: at(captured), time: Double(k) / 30, now: at(captured + processing[k]))))
        }
        for (k, release) in releases.enumerated() {
            #expect(abs(release - (200 + Double(k) * 1000 / 30)) < 0.01, "frame \(k) leaves at \(release) ms")
        }
        #expect(pacer.lateFrames == 0 && pacer.resyncs == 0)
    }

    @Test("a frame ready after its instant leaves at once, is counted, and the cadence resumes")
    func lateFrame() {
        var pacer = FramePacer(delay: .milliseconds(100), frameInterval: interval)
        #expect(close(ms(pacer.release(capturedAt: at(0), time: 0, now: at(30))), 100))
        // Frame 1 is due at 133.3 ms but only ready at 180 ms; frame 2 (due 166.7) at 190 ms.
        #expect(close(ms(pacer.release(capturedAt: at(33.3), time: 1.0 / 30, now: at(180))), 180))
        #expect(close(ms(pacer.release(capturedAt: at(66.7), time: 2.0 / 30, now: at(190))), 190))
        #expect(pacer.lateFrames == 2)
        #expect(close(pacer.maxLateness.seconds * 1000, 46.67))
        // Frame 3 is ready in time: back on the grid.
        #expect(close(ms(pacer.release(capturedAt: at(100), time: 3.0 / 30, now: at(195))), 200))
        #expect(pacer.lateFrames == 2 && pacer.resyncs == 0)
    }

    @Test("releases never go backwards, so frames keep their order")
    func neverReorders() {
        var pacer = FramePacer(delay: .milliseconds(50), frameInterval: interval)
        _ = pacer.release(capturedAt: at(0), time: 0, now: at(10))
        let late = pacer.release(capturedAt: at(33), time: 1.0 / 30, now: at(200))
        let next = pacer.release(capturedAt: at(66), time: 2.0 / 30, now: at(201))
        #expect(next >= late)
        #expect(close(ms(next), 201), "the next frame, also overdue, goes right after")
    }

    @Test("frames a rate converter repeats (same capture instant) are spread over their own slots")
    func spreadsRepeatedFrames() {
        var pacer = FramePacer(delay: .milliseconds(100), frameInterval: .seconds(1.0 / 60))
        // --fps 60 from a 30 fps camera: each capture yields two frames at once, 1/60 s apart in time.
        var releases: [Double] = []
        for k in 0..<6 {
            let captured = Double(k / 2) * 1000 / 30
            releases.append(ms(pacer.release(capturedAt: at(captured), time: Double(k) / 60, now: at(captured + 5))))
        }
        for (k, release) in releases.enumerated() {
            #expect(abs(release - (100 + Double(k) * 1000 / 60)) < 0.01, "slot \(k) at \(release) ms")
        }
    }

    @Test("when the presentation clock drifts from the capture clock, the grid re-anchors to keep the delay true")
    func resyncsOnDrift() {
        var pacer = FramePacer(delay: .milliseconds(100), frameInterval: interval)
        _ = pacer.release(capturedAt: at(0), time: 0, now: at(5))
        // A pause in the input: timestamps advance 1/30 s but the frame was captured 500 ms later.
        let release = pacer.release(capturedAt: at(533.3), time: 1.0 / 30, now: at(540))
        #expect(close(ms(release), 633.3))
        #expect(pacer.resyncs == 1)
        // And the new grid holds.
        #expect(close(ms(pacer.release(capturedAt: at(570), time: 2.0 / 30, now: at(575))), 666.63))
        #expect(pacer.resyncs == 1)
    }
}
