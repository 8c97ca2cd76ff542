import Foundation
import Testing
@testable import Face
import TestSupport
@testable import Imaging

@Suite struct FaceTrackerTests {
    static let size = SIMD2<Float>(640, 480)

    static func candidate(at c: SIMD2<Float>, scale: Float, presence: Float = 1, trackID: Int? = nil) -> FaceCandidate {
        var lm = TestFaces.landmarks(center: c, scale: scale)
        lm.presence = presence
        return FaceCandidate(landmarks: lm, trackID: trackID)
    }

    @Test func keepsIDsWhileFacesMoveAndSortsBySize() {
        var options = FaceTracker.Options()
        options.maxFaces = 0
        var tracker = FaceTracker(options: options)
        var ids: [Int: SIMD2<Float>] = [:]
        for frame in 0..<10 {
            let shift = Float(frame) * 3
            // Listed in a different order each frame: identity must come from overlap, not position in the list.
            var cands = [Self.candidate(at: SIMD2(150 + shift, 240), scale: 5), Self.candidate(at: SIMD2(450 - shift, 240), scale: 8)]
            if frame % 2 == 1 { cands.reverse() }
            let faces = tracker.update(candidates: cands, frameIndex: frame, time: Double(frame) / 30, frameSize: Self.size,
                                       detected: true)
            #expect(faces.count == 2)
            #expect(faces[0].box.area > faces[1].box.area)  // largest first
            for f in faces {
                if let last = ids[f.id] { #expect(abs(f.box.center.x - last.x) < 10) }
                ids[f.id] = f.box.center
            }
        }
        #expect(ids.count == 2)
    }

    @Test func selectionMaxFacesAndSortOrders() {
        var options = FaceTracker.Options()
        options.maxFaces = 1
        options.sortOrder = .leftToRight
        var tracker = FaceTracker(options: options)
        let cands = [Self.candidate(at: SIMD2(450, 240), scale: 8), Self.candidate(at: SIMD2(150, 240), scale: 5)]
        let first = tracker.update(candidates: cands, frameIndex: 0, time: 0, frameSize: Self.size, detected: true)
        #expect(first.count == 1 && first[0].box.center.x < 320)
        let rightID = first[0].id == 0 ? 1 : 0
        tracker.options.selection = .ids([rightID])
        let second = tracker.update(candidates: cands, frameIndex: 1, time: 1 / 30, frameSize: Self.size, detected: false)
        #expect(second.map(\.id) == [rightID])
        #expect(second[0].box.center.x > 320)
    }

    @Test func detectionPolicyAndLifecycle() {
        var options = FaceTracker.Options()
        options.detectionInterval = 5
        options.maxMissedFrames = 2
        var tracker = FaceTracker(options: options)
        #expect(tracker.needsDetection(frameIndex: 0))
        let faces = tracker.update(candidates: [Self.candidate(at: SIMD2(320, 240), scale: 6)], frameIndex: 0, time: 0,
                                   frameSize: Self.size, detected: true)
        let id = faces[0].id
        #expect(faces[0].isNew)
        // Between detections, the landmarker runs on the tracker's ROIs.
        for frame in 1..<5 {
            #expect(!tracker.needsDetection(frameIndex: frame))
            let rois = tracker.rois()
            #expect(rois.count == 1 && rois[0].trackID == id)
            #expect(abs(rois[0].roi.center.x - 320) < 20 && abs(rois[0].roi.rotation) < 1e-3)
            let f = tracker.update(candidates: [Self.candidate(at: SIMD2(320, 240), scale: 6, trackID: id)], frameIndex: frame,
                                   time: Double(frame) / 30, frameSize: Self.size, detected: false)
            #expect(f.map(\.id) == [id] && !f[0].isNew)
        }
        #expect(tracker.needsDetection(frameIndex: 5))
        // Presence drop: the face is not reported and a detection is requested at once.
        let dropped = tracker.update(candidates: [Self.candidate(at: SIMD2(320, 240), scale: 6, presence: 0.2, trackID: id)],
                                     frameIndex: 5, time: 5 / 30, frameSize: Self.size, detected: false)
        #expect(dropped.isEmpty && tracker.needsDetection(frameIndex: 6))
        // Back within maxMissedFrames: same ID. Gone for longer: a new ID.
        let back = tracker.update(candidates: [Self.candidate(at: SIMD2(325, 240), scale: 6)], frameIndex: 6, time: 6 / 30,
                                  frameSize: Self.size, detected: true)
        #expect(back.map(\.id) == [id])
        for frame in 7...9 {
            tracker.update(candidates: [], frameIndex: frame, time: Double(frame) / 30, frameSize: Self.size, detected: true)
        }
        let reborn = tracker.update(candidates: [Self.candidate(at: SIMD2(325, 240), scale: 6)], frameIndex: 10, time: 10 / 30,
                                    frameSize: Self.size, detected: true)
        #expect(reborn.count == 1 && reborn[0].id != id && reborn[0].isNew)
    }

    /// Two faces of about one size, the larger by turns on each detection (multiface_1080p_crowd's swap hopped
    /// between people so): the reported one stays.
    @Test func aReportedFaceKeepsItsPlaceWhileTheSortFlipsBackAndForth() {
        var tracker = FaceTracker()
        var reported = Set<Int>()
        for frame in 0..<40 {
            let (a, b): (Float, Float) = frame % 2 == 0 ? (6, 6.2) : (6.2, 6)
            let faces = tracker.update(candidates: [Self.candidate(at: SIMD2(160, 240), scale: a),
                                                    Self.candidate(at: SIMD2(480, 240), scale: b)],
                                       frameIndex: frame, time: Double(frame) / 30, frameSize: Self.size, detected: true)
            #expect(faces.count == 1)
            reported.formUnion(faces.map(\.id))
        }
        #expect(reported.count == 1)
    }

    /// A face that stays ahead in the sort takes the place after `switchAfter` frames; one that is lost holds it
    /// until its track ends, then frees it.
    @Test func aFaceAheadForLongEnoughTakesThePlaceAndALostOneHoldsItWhileTracked() {
        var tracker = FaceTracker()
        let small = Self.candidate(at: SIMD2(160, 240), scale: 5), large = Self.candidate(at: SIMD2(480, 240), scale: 8)
        let first = tracker.update(candidates: [small], frameIndex: 0, time: 0, frameSize: Self.size, detected: true)
        let smallID = first[0].id
        var switched: Int?
        for frame in 1...30 where switched == nil {
            let faces = tracker.update(candidates: [small, large], frameIndex: frame, time: Double(frame) / 30,
                                       frameSize: Self.size, detected: true)
            if faces.map(\.id) != [smallID] { switched = frame }
        }
        #expect(switched == 1 + tracker.options.switchAfter)
        // The large face is reported now. Lost for a moment (a hand over it), its place waits and nobody is swapped
        // in its stead; back, it has it again.
        let largeID = tracker.faces[0].id
        for frame in 31...32 {
            let away = tracker.update(candidates: [small], frameIndex: frame, time: Double(frame) / 30,
                                      frameSize: Self.size, detected: true)
            #expect(away.isEmpty)
        }
        let back = tracker.update(candidates: [small, large], frameIndex: 33, time: 33 / 30, frameSize: Self.size,
                                  detected: true)
        #expect(back.map(\.id) == [largeID])
        // Gone for good: once its track ends the small face has the place.
        var frame = 34
        while tracker.update(candidates: [small], frameIndex: frame, time: Double(frame) / 30, frameSize: Self.size,
                             detected: true).isEmpty, frame < 60 { frame += 1 }
        #expect(tracker.faces.map(\.id) == [smallID])
        #expect(frame == 34 + tracker.options.maxMissedFrames)
        // With no delay the sort decides on each frame, as before.
        var immediate = FaceTracker()
        immediate.options.switchAfter = 0
        immediate.update(candidates: [small], frameIndex: 0, time: 0, frameSize: Self.size, detected: true)
        let now = immediate.update(candidates: [small, large], frameIndex: 1, time: 1 / 30, frameSize: Self.size,
                                   detected: true)
        #expect(now.count == 1 && now[0].box.center.x > 320)
    }

    /// A face left out by `maxFaces` has no landmark crop: not finding it between detections is not a miss, and
    /// does not ask for a detection on every frame.
    @Test func aFaceLeftOutDoesNotAskForADetectionOnEveryFrame() {
        var tracker = FaceTracker()
        let faces = tracker.update(candidates: [Self.candidate(at: SIMD2(160, 240), scale: 8),
                                                Self.candidate(at: SIMD2(480, 240), scale: 5)],
                                   frameIndex: 0, time: 0, frameSize: Self.size, detected: true)
        let id = faces[0].id
        for frame in 1..<tracker.options.detectionInterval {
            #expect(!tracker.needsDetection(frameIndex: frame))
            let f = tracker.update(candidates: [Self.candidate(at: SIMD2(160, 240), scale: 8, trackID: id)],
                                   frameIndex: frame, time: Double(frame) / 30, frameSize: Self.size, detected: false)
            #expect(f.map(\.id) == [id])
        }
        #expect(tracker.needsDetection(frameIndex: tracker.options.detectionInterval))
        // Found again on the next detection: the same track, not a new one.
        let again = tracker.update(candidates: [Self.candidate(at: SIMD2(160, 240), scale: 8),
                                                Self.candidate(at: SIMD2(480, 240), scale: 5)],
                                   frameIndex: 10, time: 10 / 30, frameSize: Self.size, detected: true)
        #expect(again.map(\.id) == [id])
        #expect(tracker.rois().map(\.trackID) == [id])
    }

    @Test func roiFollowsTheLandmarkRule() {
        let lm = TestFaces.landmarks(center: SIMD2(300, 200), scale: 7, rotation: 0.3)
        let roi = FaceROI(landmarks: lm.points2D)
        let box = BoundingBox(bounding: lm.points2D)
        #expect(abs(roi.rotation - 0.3) < 1e-4)
        #expect(abs(roi.side - 1.5 * max(box.width, box.height)) < 1e-3)
        // The crop's centre pixel maps to the ROI centre, and its x axis runs along the eye line.
        let m = roi.cropToFrame(cropSize: 192)
        #expect(simd_distance(m.apply(SIMD2(96, 96)), roi.center) < 1e-3)
        let axis = m.applyLinear(SIMD2(1, 0))
        #expect(abs(atan2f(axis.y, axis.x) - 0.3) < 1e-4)
    }
}
