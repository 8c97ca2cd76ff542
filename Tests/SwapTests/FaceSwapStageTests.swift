import Foundation
import Stream
import Testing
@testable import Face
import Imaging
import TestSupport
@testable import Swap

@Suite struct FaceSwapStageTests {
    static let photo = TestImages.texture(width: 400, height: 400, phase: 1)
    static let photoLandmarks = TestFaces.landmarks(center: SIMD2(200, 190), scale: 11)

    static func stage(preview: FacePreview? = nil) throws -> FaceSwapStage {
        let swapper = try MeshSwapper(source: photo, sourceLandmarks: photoLandmarks)
        return FaceSwapStage(swapper: swapper, alignment: FaceAlignment(coverage: 1.8, resolution: 96),
                             merger: FaceMerger(options: .init()), preview: preview)
    }

    @Test("a frame without the analysis stage's faces is an error, not a silent pass-through")
    func missingAnalysisIsAnError() throws {
        let frame = VideoFrame(image: TestImages.texture(width: 320, height: 240), index: 0, fps: 30)
        #expect(throws: FaceSwapStageError.missingAnalysis) { try Self.stage().process(frame) }
    }

    @Test("each swapped face leaves a typed record: track ID, pose, the aligned crop it was cut with, the merged face")
    func recordsTravelWithTheFrame() throws {
        let image = TestImages.texture(width: 640, height: 480, phase: 3)
        let landmarks = TestFaces.landmarks(center: SIMD2(330, 250), scale: 8, rotation: 0.3)
        let face = TrackedFace(id: 7, box: BoundingBox(bounding: landmarks.points2D), landmarks: landmarks,
                               rawLandmarks: landmarks, age: 0)
        let frame = VideoFrame(image: image, index: 0, fps: 30)
        frame[attachment: FaceAnalysis.self] = FaceAnalysis(faces: [face], detected: true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-stage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.stage(preview: FacePreview(path: dir.appendingPathComponent("p.png").path)).process(frame)

        let record = try #require(frame[attachment: FrameSwapRecord.self]?.faces.first)
        #expect(record.trackID == 7 && abs(record.pose.roll) > 5)
        // The preview asked for the crop: it was cut with the stage's alignment.
        let aligned = try #require(record.aligned)
        #expect(aligned.resolution == 96)
        let expected = try FaceAligner(alignment: FaceAlignment(coverage: 1.8, resolution: 96)).transform(for: landmarks.points2D)
        #expect(aligned.imageToAligned == expected)
        #expect(record.swapped != nil)
        #expect(try frame.image != image, "the face was merged into the frame")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.png").path))
    }

    @Test("faces are merged into the frame's own picture, not a copy, as if merged one after another into the original")
    func mergesInPlace() throws {
        let landmarks = [TestFaces.landmarks(center: SIMD2(200, 240), scale: 7),
                         TestFaces.landmarks(center: SIMD2(450, 230), scale: 6, rotation: -0.2)]
        let faces = landmarks.enumerated().map { i, l in
            TrackedFace(id: i, box: BoundingBox(bounding: l.points2D), landmarks: l, rawLandmarks: l, age: 0)
        }
        // The frame alone holds its picture (a second holder would force a copy on write).
        let frame = VideoFrame(image: TestImages.texture(width: 640, height: 480, phase: 5), index: 0, fps: 30)
        frame[attachment: FaceAnalysis.self] = FaceAnalysis(faces: faces, detected: true)
        let address = { () throws -> UInt? in try frame.image.pixels.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } } }
        let before = try address()
        try Self.stage().process(frame)
        #expect(try address() == before, "merged in place")

        var expected = TestImages.texture(width: 640, height: 480, phase: 5)
        let records = try #require(frame[attachment: FrameSwapRecord.self]?.faces)
        #expect(records.count == 2 && records.allSatisfy { $0.swapped != nil })
        let merger = FaceMerger(options: .init())
        for record in records {
            var track = GlassesTrack()
            merger.merge(record.swapped!, landmarks: record.landmarks, into: &expected, glasses: &track)
        }
        #expect(try frame.image == expected)
        #expect(expected != TestImages.texture(width: 640, height: 480, phase: 5), "both faces changed the picture")
    }
}
