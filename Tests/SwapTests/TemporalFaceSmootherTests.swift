import Stream
import Testing
@testable import Imaging
import TestSupport
@testable import Swap

/// Output-space temporal smoothing (`facelive run --temporal-smoothing`).
@Suite struct TemporalFaceSmootherTests {
    static let size = 16

    /// A face of one grey level with a uniform mask, placed at `toFrame`.
    static func face(_ level: UInt8, mask: Float = 1, size: Int = size,
                     toFrame: AffineTransform2D = AffineTransform2D(scale: 2, rotation: 0, translation: [100, 50])) -> SwappedFace {
        SwappedFace(image: RGBImage(width: size, height: size, pixels: [UInt8](repeating: level, count: size * size * 3)),
                    mask: AlphaMask(width: size, height: size, value: mask), toFrame: toFrame)
    }

    @Test("blends image and mask with the previous smoothed face, exponentially")
    func blendsExponentially() {
        var smoother = TemporalFaceSmoother(options: .init(strength: 0.75))
        let first = smoother.smooth(Self.face(100, mask: 0.2), trackID: 1)
        smoother.endFrame()
        #expect(first.image.pixels[0] == 100, "a new track starts from its own face")
        let second = smoother.smooth(Self.face(200, mask: 1), trackID: 1)
        smoother.endFrame()
        // Colours weighted by their masks: (0.25·1·200 + 0.75·0.2·100) / 0.4 = 162.5.
        #expect(second.image.pixels.allSatisfy { $0 == 163 })
        #expect(abs(second.mask!.values[0] - 0.4) < 1e-6)      // 0.25·1 + 0.75·0.2
        let third = smoother.smooth(Self.face(200, mask: 1), trackID: 1)
        #expect(third.image.pixels[0] == 180)                   // (0.25·200 + 0.75·0.4·162.5) / 0.55 = 179.5
        #expect((smoother.meanLag ?? 0) > 0)
    }

    @Test("a pixel the swapper left at weight 0 does not tint the next face, without a mask it blends as it is")
    func weightlessPixelsDoNotTint() {
        // A mesh swap holds the frame itself where its weight is 0: past its outline, under a photo's cut fringe.
        var smoother = TemporalFaceSmoother(options: .init(strength: 0.75))
        _ = smoother.smooth(Self.face(0, mask: 0), trackID: 1)
        smoother.endFrame()
        let next = smoother.smooth(Self.face(200, mask: 1), trackID: 1)
        #expect(next.image.pixels.allSatisfy { $0 == 200 }, "the weightless frame pixel tinted the face")
        #expect(abs(next.mask!.values[0] - 0.25) < 1e-6, "the weight still rises gradually")
        smoother.endFrame()

        var plain = TemporalFaceSmoother(options: .init(strength: 0.75))
        func unmasked(_ level: UInt8) -> SwappedFace { var f = Self.face(level); f.mask = nil; return f }
        _ = plain.smooth(unmasked(0), trackID: 1)
        plain.endFrame()
        #expect(plain.smooth(unmasked(200), trackID: 1).image.pixels[0] == 50)
    }

    @Test("steps smaller than one grey level still accumulate (state kept in floats)")
    func keepsSubLevelSteps() {
        var smoother = TemporalFaceSmoother(options: .init(strength: 0.9))
        _ = smoother.smooth(Self.face(100), trackID: 1)
        var last = Self.face(100)
        for _ in 0..<60 {
            smoother.endFrame()
            last = smoother.smooth(Self.face(104), trackID: 1)
        }
        #expect(last.image.pixels[0] == 104, "converges to the new level instead of sticking within rounding")
    }

    @Test("restarts for a track missing on the previous frame, and keeps tracks apart")
    func restartsAfterAGap() {
        var smoother = TemporalFaceSmoother(options: .init(strength: 0.5))
        _ = smoother.smooth(Self.face(0), trackID: 1)
        _ = smoother.smooth(Self.face(200), trackID: 2)
        smoother.endFrame()
        #expect(smoother.smooth(Self.face(100), trackID: 2).image.pixels[0] == 150, "track 2 blends with its own face")
        smoother.endFrame()   // track 1 missed this frame
        #expect(smoother.smooth(Self.face(100), trackID: 1).image.pixels[0] == 100)
        #expect(smoother.smooth(Self.face(100), trackID: nil).image.pixels[0] == 100, "untracked faces pass through")
    }

    @Test("restarts on large motion and on another swap-space size, not on small motion")
    func restartsOnMotion() {
        var smoother = TemporalFaceSmoother(options: .init(strength: 0.5, resetMotion: 0.1))
        let crop = Float(Self.size) * 2   // the crop's side in the frame
        _ = smoother.smooth(Self.face(0), trackID: 1)
        smoother.endFrame()
        let nudged = AffineTransform2D(scale: 2, rotation: 0, translation: [100 + 0.05 * crop, 50])
        #expect(smoother.smooth(Self.face(100, toFrame: nudged), trackID: 1).image.pixels[0] == 50)
        smoother.endFrame()
        let jumped = AffineTransform2D(scale: 2, rotation: 0, translation: [100 + 0.3 * crop, 50])
        #expect(smoother.smooth(Self.face(100, toFrame: jumped), trackID: 1).image.pixels[0] == 100)
        smoother.endFrame()
        let turned = AffineTransform2D(scale: 2, rotation: 0.5, translation: [100 + 0.3 * crop, 50])
        #expect(smoother.smooth(Self.face(0, toFrame: turned), trackID: 1).image.pixels[0] == 0, "rotation counts too")
        #expect(smoother.motionResets == 2)
        smoother.endFrame()
        #expect(smoother.smooth(Self.face(200, size: 20, toFrame: turned), trackID: 1).image.pixels[0] == 200)
    }

    @Test("noise around a steady face: smoothing cuts the measured flicker by more than 40 %")
    func reducesMeasuredFlicker() {
        var random = SeededRandom(seed: 3)
        func noisy() -> SwappedFace {
            var face = Self.face(128)
            for i in face.image.pixels.indices { face.image.pixels[i] = UInt8(118 + random.next() % 21) }
            return face
        }
        var smoother = TemporalFaceSmoother(options: .init(strength: 0.7))
        var raw = FlickerMeter(), smoothed = FlickerMeter()
        for _ in 0..<30 {
            let face = noisy()
            raw.observe(face, trackID: 7)
            smoothed.observe(smoother.smooth(face, trackID: 7), trackID: 7)
            smoother.endFrame(); raw.endFrame(); smoothed.endFrame()
        }
        let before = raw.meanChange!, after = smoothed.meanChange!
        #expect(raw.pairs == 29 && smoothed.pairs == 29)
        #expect(before > 5, "uniform noise of ±10 levels changes by ~7 a frame")
        #expect(after < before * 0.6, "flicker \(before) → \(after)")
    }
}

@Suite struct FlickerMeterTests {
    @Test("mean absolute change per channel, weighted by both frames' masks; tracks and sizes kept apart")
    func measuresChange() {
        let size = 4
        var meter = FlickerMeter()
        // Frame 0 → 1: the left half changes by 30 where the mask is 1, the right half by 90 where the mask is 0.
        var a = TemporalFaceSmootherTests.face(100, size: size), b = a
        var mask = AlphaMask(width: size, height: size, value: 0)
        for y in 0..<size { for x in 0..<size {
            let i = (y * size + x) * 3
            if x < size / 2 { mask.values[y * size + x] = 1; b.image.pixels[i] = 130 } else { b.image.pixels[i + 1] = 10 }
        } }
        a.mask = mask
        b.mask = mask
        meter.observe(a, trackID: 1)
        meter.observe(TemporalFaceSmootherTests.face(0, size: 8), trackID: 2)
        meter.endFrame()
        meter.observe(b, trackID: 1)
        meter.observe(TemporalFaceSmootherTests.face(255, size: 4), trackID: 2)   // another size: no pair
        meter.endFrame()
        #expect(meter.pairs == 1)
        #expect(abs(meter.meanChange! - 10) < 1e-9, "30 on one of three channels where the face is")
        #expect(meter.meanMaskChange == 0)
        meter.endFrame()   // a frame without faces: the next face starts afresh
        meter.observe(a, trackID: 1)
        #expect(meter.pairs == 1)
    }
}
