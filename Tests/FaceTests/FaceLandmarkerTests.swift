import Foundation
import Stream
import Testing
@testable import Face
import TestSupport

@Suite struct FaceLandmarkerTests {
    static let astronaut = FaceDetectorTests.astronaut

    func landmarker() throws -> FaceLandmarker { try FaceLandmarker(graph: TestResources.graphs[.landmarks]!) }

    func astronautDetection() throws -> FaceDetection {
        let d = try FaceDetector(model: .fullRange, graph: TestResources.graphs[.fullRangeDetector]!)
        return try #require(d.detect(in: Self.astronaut).first)
    }

    /// notes/models.md §4: FaceMesh on the astronaut from the full-range ROI, image px.
    static let reference: [Int: SIMD2<Float>] = [
        1: [222.9, 128.5], 33: [194.9, 100.3], 263: [255.2, 104.5], 61: [200.5, 139.0], 291: [245.9, 143.1], 152: [221.3, 172.6],
    ]

    @Test func astronautFromDetection() throws {
        let detection = try astronautDetection()
        let roi = FaceLandmarker.roi(from: detection)
        #expect(abs(roi.side - 1.5 * max(detection.box.width, detection.box.height)) < 1e-3)
        let marks = try #require(try landmarker().landmarks(in: Self.astronaut, roi: roi))
        #expect(marks.points.count == 468)
        #expect(marks.presence > 0.99)
        for (i, r) in Self.reference { #expect(distance(marks.points2D[i], r) < 2.5, "#\(i) \(marks.points2D[i]) vs \(r)") }
        // Every landmark lies in the detection box grown by 10 %.
        let b = detection.box
        for p in marks.points2D {
            #expect(p.x > b.x - 0.1 * b.width && p.x < b.x + 1.1 * b.width && p.y > b.y - 0.1 * b.height && p.y < b.y + 1.1 * b.height)
        }
        // The nose tip is nearer the camera than the cheeks.
        #expect(marks.points[FaceMeshTopology.noseTip].z < marks.points[FaceMeshTopology.rightCheek].z)
        #expect(marks.points[FaceMeshTopology.noseTip].z < marks.points[FaceMeshTopology.leftCheek].z)
    }

    /// The golden FaceMesh crop (axis-aligned rows 50..<200, cols 150..<300) as an ROI reproduces LiteRT's crop
    /// landmarks (notes §6) mapped to the image, up to the different resampling of the crop.
    @Test func goldenCropAsROI() throws {
        let roi = FaceROI(center: [225, 125], side: 150, rotation: 0)
        let marks = try #require(try landmarker().landmarks(in: Self.astronaut, roi: roi))
        let crop: [Int: SIMD2<Float>] = [1: [93.04, 101.66], 33: [56.11, 64.06], 263: [135.48, 68.00],
                                         61: [63.38, 114.73], 291: [124.10, 116.57], 152: [91.21, 157.87]]
        for (i, c) in crop {
            let expected = c * 150 / 192 + SIMD2(150, 50)
            #expect(distance(marks.points2D[i], expected) < 2, "#\(i) \(marks.points2D[i]) vs \(expected)")
        }
    }

    @Test func trackingFromLandmarksIsStable() throws {
        let lm = try landmarker()
        let first = try #require(lm.landmarks(in: Self.astronaut, roi: FaceLandmarker.roi(from: try astronautDetection())))
        let roi = FaceLandmarker.roi(from: first)
        let eyes = first.points2D[263] - first.points2D[33]
        #expect(abs(roi.rotation - atan2(eyes.y, eyes.x)) < 1e-5)
        let second = try #require(lm.landmarks(in: Self.astronaut, roi: roi))
        let drift = zip(first.points2D, second.points2D).map { distance($0, $1) }
        #expect(drift.reduce(0, +) / Float(drift.count) < 2)
    }

    @Test func blankCropHasNoFace() throws {
        let lm = try landmarker()
        let blank = RGBImage(width: 320, height: 240)
        #expect(lm.landmarks(in: blank, roi: FaceROI(center: [160, 120], side: 150, rotation: 0)) == nil)
        #expect(lm.run(blank, FaceROI(center: [160, 120], side: 150, rotation: 0)).presence < 0.5)
    }

    /// A rotated, mirrored face: landmarks follow the rotation (ROI from rotated keypoints), and the head pose
    /// flips sign with the mirror image.
    @Test func rotationAndHeadPose() throws {
        let a = Self.astronaut
        let lm = try landmarker()
        let upright = try #require(lm.landmarks(in: a, roi: FaceLandmarker.roi(from: try astronautDetection())))
        let pose = upright.headPose
        #expect(abs(pose.yaw) < 25 && abs(pose.pitch) < 30 && abs(pose.roll) < 10, "\(pose)")

        // Mirror left-right.
        var mirrored = a
        for y in 0..<a.height {
            for x in 0..<a.width { mirrored[x, y] = a[a.width - 1 - x, y] }
        }
        let d = try FaceDetector(model: .fullRange, graph: TestResources.graphs[.fullRangeDetector]!)
        let mdet = try #require(d.detect(in: mirrored).first)
        let mirroredMarks = try #require(lm.landmarks(in: mirrored, roi: FaceLandmarker.roi(from: mdet)))
        let mpose = mirroredMarks.headPose
        #expect(abs(mpose.yaw + pose.yaw) < 5 && abs(mpose.roll + pose.roll) < 3 && abs(mpose.pitch - pose.pitch) < 5,
                "\(pose) vs mirrored \(mpose)")
        let nose = mirroredMarks.points2D[FaceMeshTopology.noseTip]
        #expect(distance(nose, SIMD2(Float(a.width - 1) - upright.points2D[1].x, upright.points2D[1].y)) < 4)

        // Rotate 90° clockwise: (x, y) → (h − 1 − y, x).
        var rotated = RGBImage(width: a.height, height: a.width)
        for y in 0..<a.height {
            for x in 0..<a.width { rotated[a.height - 1 - y, x] = a[x, y] }
        }
        // BlazeFace's keypoints are rough on a sideways face (ROI ~25° off): one crop's landmarks are off, the
        // detection's landmarks recut the crop on the same frame until it is level.
        let rdet = try #require(d.detect(in: rotated).first)
        let rroi = FaceLandmarker.roi(from: rdet)
        #expect(abs(rroi.rotation - .pi / 2) < 0.6, "ROI rotation \(rroi.rotation)")
        let once = try #require(lm.landmarks(in: rotated, roi: rroi))
        let turn = FaceROI.wrapped(FaceLandmarker.roi(from: once).rotation - rroi.rotation)
        #expect(abs(turn) > FaceLandmarker.recutAngle, "the detection's crop is far enough off to be recut")
        let rmarks = try #require(lm.landmarks(in: rotated, detected: rroi))
        #expect(abs(rmarks.headPose.roll - (pose.roll + 90)) < 5, "rolled \(rmarks.headPose)")
        for i in [1, 33, 263, 152] {
            let p = upright.points2D[i]
            #expect(distance(rmarks.points2D[i], SIMD2(Float(a.height - 1) - p.y, p.x)) < 4, "#\(i)")
        }
    }
}
