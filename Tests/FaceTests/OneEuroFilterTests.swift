import Foundation
import Testing
@testable import Face
import TestSupport

@Suite struct OneEuroFilterTests {
    /// Standard deviation of frame-to-frame differences.
    static func jitter(_ xs: [Float]) -> Float {
        let d = zip(xs.dropFirst(), xs).map { $0 - $1 }
        let mean = d.reduce(0, +) / Float(d.count)
        return (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(d.count)).squareRoot()
    }

    @Test func cutsJitterOfAStillSignal() {
        var rng = SeededRandom(seed: 7)
        var filter = OneEuroFilter<SIMD2<Float>>(parameters: .init(minCutoff: 1, beta: 0.01))
        var raw: [Float] = [], out: [Float] = []
        for i in 0..<150 {
            let x = SIMD2<Float>(100 + rng.gaussian(), 50 + rng.gaussian())
            let y = filter.filter(x, at: Double(i) / 30)
            if i >= 30 { raw.append(x.x); out.append(y.x) }
        }
        #expect(Self.jitter(out) * 4 < Self.jitter(raw))
    }

    @Test func offPassesThroughAndResetForgets() {
        var off = OneEuroFilter<SIMD2<Float>>(parameters: .init(isEnabled: false))
        _ = off.filter(SIMD2(0, 0), at: 0)
        #expect(off.filter(SIMD2(5, 7), at: 1 / 30) == SIMD2(5, 7))

        var f = OneEuroFilter<SIMD2<Float>>(parameters: .init(minCutoff: 0.1))
        _ = f.filter(SIMD2(0, 0), at: 0)
        #expect(f.filter(SIMD2(10, 10), at: 1 / 30).x < 5)
        f.reset()
        #expect(!f.isPrimed)
        #expect(f.filter(SIMD2(10, 10), at: 2 / 30) == SIMD2(10, 10))
        // A repeated timestamp (re-emitted frame) returns the previous output.
        #expect(f.filter(SIMD2(99, 99), at: 2 / 30) == SIMD2(10, 10))
    }
}

@Suite struct LandmarkSmootherTests {
    static let face = TestFaces.landmarks(center: SIMD2(320, 240), scale: 8)  // ≈ 140 px face

    static func noisy(_ base: FaceLandmarks, offset: SIMD2<Float>, rng: inout SeededRandom, sigma: Float) -> FaceLandmarks {
        var lm = base
        for i in lm.points.indices {
            lm.points[i] += SIMD3(offset.x + sigma * rng.gaussian(), offset.y + sigma * rng.gaussian(), 0)
        }
        return lm
    }

    @Test func reducesJitterFourfoldOnAStillFace() {
        var rng = SeededRandom(seed: 11)
        var smoother = LandmarkSmoother()
        var raw: [Float] = [], out: [Float] = []
        for i in 0..<120 {
            let lm = Self.noisy(Self.face, offset: .zero, rng: &rng, sigma: 0.7)
            let s = smoother.smooth(lm, at: Double(i) / 30)
            if i >= 30 { raw.append(lm.points[1].x); out.append(s.points[1].x) }
        }
        let gain = OneEuroFilterTests.jitter(raw) / OneEuroFilterTests.jitter(out)
        #expect(gain >= 4, "jitter reduced only \(gain)×")
    }

    @Test func followsMotionWithinAFrameAndResetsOnJumps() {
        var rng = SeededRandom(seed: 12)
        var smoother = LandmarkSmoother()
        let speed: Float = 4  // px per frame, ≈ 0.9 face sizes per second
        var lagFrames: [Float] = []
        for i in 0..<60 {
            let truth = Float(i) * speed
            let s = smoother.smooth(Self.noisy(Self.face, offset: SIMD2(truth, 0), rng: &rng, sigma: 0.7), at: Double(i) / 30)
            if i >= 20 { lagFrames.append((truth + Self.face.points[1].x - s.points[1].x) / speed) }
        }
        let meanLag = lagFrames.reduce(0, +) / Float(lagFrames.count)
        #expect(meanLag <= 1, "mean lag \(meanLag) frames")

        // A cut: the face is 300 px away in the next frame; the output must be there at once.
        let jumped = Self.noisy(Self.face, offset: SIMD2(60 * speed + 300, 80), rng: &rng, sigma: 0.7)
        let s = smoother.smooth(jumped, at: 60.0 / 30)
        #expect(smoother.didReset)
        #expect(abs(s.points[1].x - jumped.points[1].x) < 1e-3 && abs(s.points[1].y - jumped.points[1].y) < 1e-3)
        // …and it smooths again from there.
        let next = smoother.smooth(Self.noisy(Self.face, offset: SIMD2(60 * speed + 300, 80), rng: &rng, sigma: 0.7), at: 61.0 / 30)
        #expect(!smoother.didReset)
        #expect(abs(next.points[1].x - jumped.points[1].x) < 3)
    }

    /// A still face whose lower lip opens and closes 4 times a second (syllables), 6 px (≈ 4 % of the face): the
    /// share of the lip motion the smoother keeps, and how much it cuts the jitter of the nose tip.
    static func speech(_ options: LandmarkSmoother.Options) -> (lipKept: Float, faceJitterCut: Float) {
        var rng = SeededRandom(seed: 13)
        var smoother = LandmarkSmoother(options: options)
        let lower = FaceMeshTopology.lowerInnerLip
        var truth: [Float] = [], lip: [Float] = [], rawNose: [Float] = [], nose: [Float] = []
        for i in 0..<120 {
            var lm = noisy(face, offset: .zero, rng: &rng, sigma: 0.7)
            let phase: Float = 2 * Float.pi * 4 * Float(i) / 30
            let opening: Float = 3 - 3 * cos(phase)
            lm.points[lower].y += opening
            let s = smoother.smooth(lm, at: Double(i) / 30)
            guard i >= 30 else { continue }
            truth.append(opening)
            lip.append(s.points[lower].y - face.points[lower].y)
            rawNose.append(lm.points[1].x)
            nose.append(s.points[1].x)
        }
        func spread(_ v: [Float]) -> Float {
            let m = v.reduce(0, +) / Float(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(v.count)).squareRoot()
        }
        return (spread(lip) / spread(truth), OneEuroFilterTests.jitter(rawNose) / OneEuroFilterTests.jitter(nose))
    }

    /// A still face that blinks once: the upper lid (159) comes down 8 px in two frames, stays down two and goes
    /// back in two (about 0.2 s at 30 fps). How far down the smoothed lid gets, as a share of the real closure.
    static func blink(_ options: LandmarkSmoother.Options) -> Float {
        var rng = SeededRandom(seed: 17)
        var smoother = LandmarkSmoother(options: options)
        let lid = 159
        let closure: [Float] = [0, 0, 4, 8, 8, 8, 4, 0, 0, 0, 0, 0]
        var deepest: Float = 0
        for i in 0..<(30 + closure.count) {
            var lm = noisy(face, offset: .zero, rng: &rng, sigma: 0.3)
            if i >= 30 { lm.points[lid].y += closure[i - 30] }
            let s = smoother.smooth(lm, at: Double(i) / 30)
            if i >= 30 { deepest = max(deepest, s.points[lid].y - face.points[lid].y) }
        }
        return deepest / 8
    }

    /// The speed term opens the filter for a blink's fast lid (no cutoff of their own needed, unlike the lips'
    /// steady to-and-fro); a heavier smoothing would leave a blinking eye half open.
    @Test func lidsFollowABlink() {
        let kept = Self.blink(LandmarkSmoother.Options())
        #expect(kept >= 0.85, "blink depth kept \(kept)")
        // A filter without the speed term (β 0) keeps well under half of it: the test sees what smoothing costs.
        var still = LandmarkSmoother.Options()
        still.filter.beta = 0
        #expect(Self.blink(still) < 0.6, "blink depth kept \(Self.blink(still)) with β 0")
    }

    @Test func lipsFollowSpeechWhileTheFaceStaysSmoothed() {
        let speech = Self.speech(LandmarkSmoother.Options())
        #expect(speech.lipKept >= 0.8, "lip motion kept \(speech.lipKept)")
        #expect(speech.faceJitterCut >= 4, "face jitter reduced only \(speech.faceJitterCut)×")
        // With the face's own cutoff on the lips too, a third or more of the motion would be lost.
        let sameAsFace = Self.speech(LandmarkSmoother.Options(mouthMinCutoff: 1))
        #expect(sameAsFace.lipKept < 0.67, "lip motion kept \(sameAsFace.lipKept) without the mouth's own cutoff")
    }
}
