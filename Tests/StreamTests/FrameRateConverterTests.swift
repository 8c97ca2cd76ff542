import Testing
@testable import Stream

@Suite("Frame-rate conversion")
struct FrameRateConverterTests {
    /// Runs `count` input frames at `inputFPS` through a converter to `outputFPS`; returns the input index per slot.
    private func convert(count: Int, inputFPS: Double, outputFPS: Double) -> [Int] {
        var converter = FrameRateConverter<Int>(fps: outputFPS)
        var slots: [(frame: Int, slot: Int)] = []
        for i in 0..<count { slots += converter.push(i, time: Double(i) / inputFPS) }
        slots += converter.finish(endTime: Double(count) / inputFPS)
        #expect(slots.map(\.slot) == Array(0..<slots.count), "slots are consecutive")
        return slots.map(\.frame)
    }

    @Test func halvesTheRate() {
        let frames = convert(count: 60, inputFPS: 30, outputFPS: 15)
        #expect(frames.count == 30)
        #expect(frames.first == 0)
    }

    @Test func raisesTheRateByRepeating() {
        let frames = convert(count: 25, inputFPS: 25, outputFPS: 50)
        #expect(frames.count == 50)
        #expect(frames == (0..<25).flatMap { [$0, $0] })
    }

    @Test func keepsTheRate() {
        #expect(convert(count: 10, inputFPS: 30, outputFPS: 30) == Array(0..<10))
    }

    @Test func aSingleStillYieldsOneFrame() {
        #expect(convert(count: 1, inputFPS: 25, outputFPS: 1) == [0])
    }
}
