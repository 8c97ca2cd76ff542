import Foundation
import Stream
import Testing
@testable import Face
import TestSupport

@Suite struct EyeLandmarkerTests {
    static let astronaut = FaceDetectorTests.astronaut

    static func eyes() throws -> EyeLandmarker { try EyeLandmarker(graph: TestResources.graphs[.eyeLandmarks]!) }
    static func faceMesh() throws -> FaceLandmarker { try FaceLandmarker(graph: TestResources.graphs[.landmarks]!) }

    static func astronautLandmarks() throws -> FaceLandmarks {
        let detector = try FaceDetector(model: .fullRange, graph: TestResources.graphs[.fullRangeDetector]!)
        let face = try #require(detector.detect(in: astronaut).first)
        return try #require(try faceMesh().landmarks(in: astronaut, roi: FaceLandmarker.roi(from: face)))
    }

    /// Open eyes stay open, near where FaceMesh put them; only the lids between the corners move. (FaceMesh puts
    /// the photo's lids a little inside her opening, 0.26 and 0.25 of the eye's width; the iris network on her lash
    /// line and lower lid, 0.36 and 0.40.)
    @Test func refinesTheLidsOfOpenEyesInPlace() throws {
        let mesh = try Self.astronautLandmarks()
        let refined = try Self.eyes().refine(mesh, in: Self.astronaut)
        for ring in [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye] {
            let width = distance(mesh.points2D[ring[0]], mesh.points2D[ring[8]])
            let before = FaceMeshTopology.eyeOpening(ring, on: mesh.points2D), after = FaceMeshTopology.eyeOpening(ring, on: refined.points2D)
            #expect(after > 0.3 && after < 0.5 && after > before, "opening \(before) → \(after)")
            for i in ring {
                #expect(distance(refined.points2D[i], mesh.points2D[i]) < 0.15 * width, "#\(i)")
                #expect(refined.points[i].z == mesh.points[i].z)
            }
            #expect(refined.points[ring[0]] == mesh.points[ring[0]] && refined.points[ring[8]] == mesh.points[ring[8]])
        }
        // The creases move too, within 0.15 of their own width; nothing else does.
        for crease in [FaceMeshTopology.rightEyeUpperCrease, FaceMeshTopology.leftEyeUpperCrease] {
            let width = distance(mesh.points2D[crease.first!], mesh.points2D[crease.last!])
            for i in crease { #expect(distance(refined.points2D[i], mesh.points2D[i]) < 0.15 * width, "#\(i)") }
        }
        let moved = Set(FaceMeshTopology.rightEye + FaceMeshTopology.leftEye + FaceMeshTopology.rightEyeUpperCrease
                        + FaceMeshTopology.leftEyeUpperCrease)
        for i in mesh.points.indices where !moved.contains(i) { #expect(refined.points[i] == mesh.points[i]) }
    }

    /// The left eye is fed mirrored: the right eye of the mirrored photo, seen as a left eye, gives the mirror image
    /// of the right eye's contours.
    @Test func aMirroredEyeGivesMirroredLids() throws {
        let image = Self.astronaut
        var flipped = image
        for y in 0..<image.height {
            for x in 0..<image.width { flipped[image.width - 1 - x, y] = image[x, y] }
        }
        let mirror = { (p: SIMD2<Float>) in SIMD2(Float(image.width - 1) - p.x, p.y) }
        let mesh = try Self.astronautLandmarks().points2D
        let (outer, inner) = (mesh[FaceMeshTopology.rightEyeOuter], mesh[FaceMeshTopology.rightEyeInner])
        let eyes = try Self.eyes()
        let direct = try #require(eyes.contours(in: image, outer: outer, inner: inner, mirrored: false))
        let viaMirror = try #require(eyes.contours(in: flipped, outer: mirror(outer), inner: mirror(inner), mirrored: true))
        let width = distance(outer, inner)
        for (a, b) in zip(direct, viaMirror.map(mirror)) { #expect(distance(a, b) < 0.03 * width, "\(a) vs \(b)") }
    }

    /// A blink FaceMesh misses (talk_studio_4 frame 88, both eyes shut): its eye points stay open, the refined lids
    /// close. Needs ../shared/media.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Self.blinkClip.path),
                   "skipped: ../shared/media/video/talk_studio_4.mp4 not present"))
    func closesTheLidsOfABlinkFaceMeshMisses() throws {
        let source = try MediaSource(Self.blinkClip.path)
        var image: RGBImage?
        for _ in 0...88 { image = try source.nextFrame()?.image }
        let frame = try #require(image)
        let detector = try FaceDetector(model: .shortRange, graph: TestResources.graphs[.shortRangeDetector]!)
        let face = try #require(detector.detect(in: frame).first)
        var mesh = try #require(try Self.faceMesh().landmarks(in: frame, roi: FaceLandmarker.roi(from: face)))
        mesh = try #require(try Self.faceMesh().landmarks(in: frame, roi: FaceLandmarker.roi(from: mesh)))
        let refined = try Self.eyes().refine(mesh, in: frame)
        for ring in [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye] {
            let before = FaceMeshTopology.eyeOpening(ring, on: mesh.points2D), after = FaceMeshTopology.eyeOpening(ring, on: refined.points2D)
            #expect(before > 0.2, "FaceMesh's own opening \(before): the clip no longer shows what this test is about")
            #expect(after < 0.1, "refined opening \(after)")
        }
    }

    static let blinkClip = TestResources.shared.appendingPathComponent("media/video/talk_studio_4.mp4")
}
