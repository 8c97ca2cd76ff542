import Foundation
import Imaging
import Stream
import Testing
@testable import Face
import TestSupport

/// Palm detection, hand landmarks, hand ROIs and tracking, the hand silhouette.
@Suite struct HandTrackingTests {
    static let solvay = try! TestResources.image("solvay_1927_group_public_domain.png")

    /// Two hands of the public-domain 1927 Solvay photo (seated men's hands on their knees, ~40 px): where to look,
    /// and the hand's box read off the picture (frame pixels, a few pixels' margin).
    static let solvayHands: [(region: BoundingBox, hand: BoundingBox)] = [
        (BoundingBox(x: 745, y: 585, width: 120, height: 120), BoundingBox(x: 775, y: 625, width: 60, height: 42)),
        (BoundingBox(x: 7, y: 552, width: 160, height: 160), BoundingBox(x: 27, y: 608, width: 42, height: 48)),
    ]

    func detector() throws -> PalmDetector { try PalmDetector(graph: TestResources.graphs[.palmDetector]!) }
    func landmarker() throws -> HandLandmarker { try HandLandmarker(graph: TestResources.graphs[.handLandmarks]!) }

    /// The palm found in `region` of the Solvay photo inside `hand`, and the landmarks from its crop.
    func solvayHand(_ i: Int) throws -> (palm: PalmDetection, landmarks: HandLandmarks) {
        let (region, hand) = Self.solvayHands[i]
        let palms = try detector().detect(in: Self.solvay, region: region)
        let palm = try #require(palms.first { hand.contains($0.box.center) }, "no palm in \(hand); found \(palms.map(\.box))")
        let landmarks = try #require(try landmarker().landmarks(in: Self.solvay, roi: HandLandmarker.roi(from: palm)),
                                     "no hand in the crop of \(palm)")
        return (palm, landmarks)
    }

    @Test(arguments: 0..<2)
    func findsSolvayHandWithLandmarksInItsBox(_ i: Int) throws {
        let hand = Self.solvayHands[i].hand
        let (palm, landmarks) = try solvayHand(i)
        #expect(palm.score > 0.5 && palm.keypoints.count == 7)
        #expect(landmarks.points.count == 21 && landmarks.presence > 0.5)
        for (k, p) in landmarks.points2D.enumerated() { #expect(hand.contains(p), "landmark \(k) at \(p) outside \(hand)") }
        // The crop from these landmarks is the next frame's: it holds the hand again.
        let again = try #require(try landmarker().landmarks(in: Self.solvay, roi: HandLandmarker.roi(from: landmarks)))
        #expect(HandLandmarks.meanDistance(again, landmarks) < 0.15 * landmarks.palmSize)
    }

    @Test func noPalmsInTheSky() throws {
        // Top-left of the photo: trees and sky.
        #expect(try detector().detect(in: Self.solvay, region: BoundingBox(x: 0, y: 0, width: 300, height: 300)).isEmpty)
    }

    @Test func palmROIFollowsMediaPipe() {
        let box = BoundingBox(x: 80, y: 180, width: 40, height: 40)
        // Fingers up: no rotation, the crop moves half a box towards the fingers, 2.6 × the box.
        let up = HandLandmarker.roi(from: PalmDetection(box: box, score: 0.9, keypoints: Self.palmKeypoints(towards: [0, -1])))
        #expect(abs(up.rotation) < 1e-5 && abs(up.side - 104) < 1e-3)
        #expect(simd_distance(up.center, SIMD2(100, 180)) < 1e-3)
        // Fingers pointing right: a quarter turn, the shift follows the fingers.
        let right = HandLandmarker.roi(from: PalmDetection(box: box, score: 0.9, keypoints: Self.palmKeypoints(towards: [1, 0])))
        #expect(abs(right.rotation - .pi / 2) < 1e-5)
        #expect(simd_distance(right.center, SIMD2(120, 200)) < 1e-3)
        // The crop's "up" is the fingers' direction.
        let crop = right.cropToFrame(cropSize: 224)
        let upInFrame = crop.applyLinear(SIMD2(0, -1))
        #expect(upInFrame.x > 0 && abs(upInFrame.y) < 1e-4)
    }

    /// Seven palm keypoints around (100, 200): wrist 20 px behind the centre, middle-finger base 20 px ahead.
    static func palmKeypoints(towards direction: SIMD2<Float>) -> [SIMD2<Float>] {
        let c = SIMD2<Float>(100, 200)
        return [c - 20 * direction, c + 20 * direction + SIMD2(-direction.y, direction.x) * 8, c + 20 * direction]
            + Array(repeating: c, count: 4)
    }

    @Test func landmarkROITurnsWithTheHand() throws {
        let (_, landmarks) = try solvayHand(0)
        let roi = HandLandmarker.roi(from: landmarks)
        // Turning the hand about a point turns its crop the same way and moves the centre with it.
        let pivot = SIMD2<Float>(640, 460), angle: Float = 0.7
        let turn = AffineTransform2D(scale: 1, rotation: angle, translation: .zero)
        var turned = landmarks
        turned.points = landmarks.points.map { p in
            let q = pivot + turn.apply(SIMD2(p.x, p.y) - pivot)
            return SIMD3(q.x, q.y, p.z)
        }
        let turnedROI = HandLandmarker.roi(from: turned)
        let expectedCenter = pivot + turn.apply(roi.center - pivot)
        #expect(abs(FaceROI(center: .zero, side: 1, rotation: turnedROI.rotation - roi.rotation - angle).rotation) < 1e-3)
        #expect(simd_distance(turnedROI.center, expectedCenter) < 0.01 * roi.side)
        #expect(abs(turnedROI.side - roi.side) < 0.01 * roi.side)
        // MediaPipe's rule: twice the rotated box around the palm and first joints, so the crop holds every point.
        let corners = roi.corners
        for p in landmarks.points2D { #expect(Polygon.contains(corners, p)) }
    }

    @Test func shapeCoversTheHandAndGrowsWithDilation() throws {
        let (_, landmarks) = try solvayHand(0)
        let tight = try #require(HandShape(dilatePixels: 0).mask(for: landmarks, frameWidth: Self.solvay.width, frameHeight: Self.solvay.height))
        let grown = try #require(HandShape(dilatePixels: 6).mask(for: landmarks, frameWidth: Self.solvay.width, frameHeight: Self.solvay.height))
        for p in landmarks.points2D { #expect(tight.value(at: p) > 0.99, "landmark at \(p) not covered") }
        let area = { (m: PlacedMask) in m.mask.values.reduce(0, +) }
        #expect(area(grown) > area(tight) * 1.3)
        // Far from the hand: nothing.
        #expect(tight.value(at: SIMD2(600, 640)) == 0 && grown.value(at: SIMD2(900, 640)) == 0)
        // Plausible size: between the landmarks' box and four times it.
        let box = landmarks.box
        #expect(area(tight) > box.area && area(tight) < 4 * box.area, "area \(area(tight)) for box \(box)")
    }

    @Test func trackerKeepsIDsHoldsAMissedFrameAndSchedulesDetection() throws {
        let (_, landmarks) = try solvayHand(0)
        var tracker = HandTracker()
        #expect(tracker.needsDetection(frameIndex: 0))
        var hands = tracker.update(candidates: [HandCandidate(landmarks: landmarks, palmScore: 0.8)], frameIndex: 0, time: 0, detected: true)
        let id = try #require(hands.first?.id)
        #expect(hands.count == 1 && hands[0].score == 0.8 && tracker.rois().count == 1)
        // Tracked from its own crop: same ID, no detection until the interval is up.
        func moved(_ dx: Float) -> HandLandmarks {
            var l = landmarks
            l.points = l.points.map { $0 + SIMD3(dx, 0, 0) }
            return l
        }
        hands = tracker.update(candidates: [HandCandidate(landmarks: moved(2), trackID: id)], frameIndex: 1, time: 1 / 30, detected: false)
        #expect(hands.map(\.id) == [id] && hands[0].missed == 0)
        // While a hand is tracked, palms are looked for less often (every `trackingDetectionInterval` frames).
        #expect(!tracker.needsDetection(frameIndex: 5) && tracker.needsDetection(frameIndex: 6))
        // Lost once: held (still reported, no crop) and detection is due at once.
        hands = tracker.update(candidates: [], frameIndex: 2, time: 2 / 30, detected: false)
        #expect(hands.map(\.id) == [id] && hands[0].missed == 1 && tracker.rois().isEmpty)
        #expect(tracker.needsDetection(frameIndex: 3))
        // Found again by detection over the held hand: the ID comes back.
        hands = tracker.update(candidates: [HandCandidate(landmarks: moved(4), palmScore: 0.7)], frameIndex: 3, time: 3 / 30, detected: true)
        #expect(hands.map(\.id) == [id])
        // Lost for longer than the hold: gone; a hand far from every face is dropped too.
        _ = tracker.update(candidates: [], frameIndex: 4, time: 4 / 30, detected: false)
        #expect(tracker.update(candidates: [], frameIndex: 5, time: 5 / 30, detected: true).isEmpty)
        hands = tracker.update(candidates: [HandCandidate(landmarks: landmarks, palmScore: 0.8)], frameIndex: 6, time: 6 / 30,
                               detected: true) { _ in false }
        #expect(hands.isEmpty)
    }

    @Test func newHandsNeedConfirmedPresenceTrackedOnesDoNot() throws {
        let (_, landmarks) = try solvayHand(0)
        func with(presence: Float) -> HandLandmarks {
            var l = landmarks
            l.presence = presence
            return l
        }
        var tracker = HandTracker()
        // A palm the landmark network half believes (an ear, a shirt fold) starts nothing.
        var hands = tracker.update(candidates: [HandCandidate(landmarks: with(presence: 0.8), palmScore: 0.7)],
                                   frameIndex: 0, time: 0, detected: true)
        #expect(hands.isEmpty && tracker.rois().isEmpty)
        // A confirmed one starts a track, which its own crop then keeps down to the landmarker's threshold.
        hands = tracker.update(candidates: [HandCandidate(landmarks: with(presence: 0.95), palmScore: 0.7)],
                               frameIndex: 1, time: 1 / 30, detected: true)
        let id = try #require(hands.first?.id)
        hands = tracker.update(candidates: [HandCandidate(landmarks: with(presence: 0.6), trackID: id)],
                               frameIndex: 2, time: 2 / 30, detected: false)
        #expect(hands.map(\.id) == [id] && hands[0].missed == 0)
    }

    @Test func searchAreaLooksNearFacesOnly() {
        let face = BoundingBox(x: 600, y: 500, width: 100, height: 120)
        let near = HandSearchArea.nearFaces(scale: 3.5).regions(faceBoxes: [face], width: 1280, height: 720)
        #expect(near.count == 1 && abs(near[0].width - 420) < 1e-3 && abs(near[0].center.x - 650) < 1e-3)
        // Cut to the frame at the bottom edge.
        #expect(abs(near[0].y - 350) < 1e-3 && abs(near[0].y + near[0].height - 720) < 1e-3)
        #expect(HandSearchArea.nearFaces(scale: 3.5).regions(faceBoxes: [], width: 1280, height: 720).isEmpty)
        #expect(HandSearchArea.wholeFrame(faceScale: 3.5).regions(faceBoxes: [], width: 1280, height: 720).count == 1)
        #expect(HandSearchArea.matters(BoundingBox(x: 800, y: 500, width: 50, height: 50), regions: near))
        #expect(!HandSearchArea.matters(BoundingBox(x: 100, y: 500, width: 50, height: 50), regions: near))
    }
}

extension HandLandmarks {
    /// Mean image-plane distance between corresponding points.
    static func meanDistance(_ a: HandLandmarks, _ b: HandLandmarks) -> Float {
        zip(a.points2D, b.points2D).reduce(0) { $0 + simd_distance($1.0, $1.1) } / Float(a.points.count)
    }
}
