import Foundation
import Stream
import Testing
@testable import Swap

@Suite struct FaceAlignerTests {
    @Test func defaultCropMatchesTheWholeFaceTemplate() throws {
        // A frontal face at any place, size and roll lands on FaceFusion's dfl_whole_face template.
        let lm = TestFaces.landmarks(center: SIMD2(400, 260), scale: 9, rotation: -0.4)
        let m = try FaceAligner().transform(for: lm.points2D)
        let p = lm.points2D.map { m.apply($0) }
        func centre(_ ring: [Int]) -> SIMD2<Float> { ring.map { p[$0] }.reduce(.zero, +) / Float(ring.count) }
        let template: [(SIMD2<Float>, SIMD2<Float>)] = [
            (centre(FaceMeshTopology.rightEye), SIMD2(0.3534, 0.3929)), (centre(FaceMeshTopology.leftEye), SIMD2(0.6280, 0.3929)),
            (p[1], SIMD2(0.4866, 0.5402)), (p[61], SIMD2(0.3884, 0.6875)), (p[291], SIMD2(0.5982, 0.6875)),
        ]
        for (got, want) in template {
            #expect(simd_distance(got, want * 224 - 0.5) < 4, "\(got) vs \(want * 224)")
        }
    }

    @Test func alignedCropAndInverseAreConsistent() throws {
        let frame = TestImages.texture(width: 640, height: 480)
        let lm = TestFaces.landmarks(center: SIMD2(300, 220), scale: 10, rotation: 0.25)
        var options = FaceAligner.Options()
        options.resolution = 160
        let face = try FaceAligner(options: options).align(frame, landmarks: lm)
        #expect(face.image.width == 160 && face.resolution == 160)
        let back = face.alignedToImage.concatenating(face.imageToAligned)
        #expect(abs(back.a - 1) < 1e-5 && abs(back.b) < 1e-5 && abs(back.tx) < 1e-3 && abs(back.ty) < 1e-3)
        // Aligned pixels hold the frame's colours at the mapped places.
        for (u, v) in [(80, 80), (40, 120), (130, 30)] {
            let p = face.alignedToImage.apply(SIMD2(Float(u), Float(v)))
            let want = frame[Int(p.x.rounded()), Int(p.y.rounded())], got = face.image[u, v]
            #expect(abs(Int(want.g) - Int(got.g)) < 12)
        }
        #expect(simd_distance(face.landmarks[1], face.imageToAligned.apply(lm.points2D[1])) < 1e-4)
    }

    @Test func optionsMoveTheCrop() throws {
        let lm = TestFaces.landmarks(center: SIMD2(300, 220), scale: 10, rotation: 0.25)
        let base = try FaceAligner().transform(for: lm.points2D)
        var options = FaceAligner.Options()
        options.freezeRoll = true
        let frozen = try FaceAligner(options: options).transform(for: lm.points2D)
        #expect(abs(frozen.b) < 1e-6 && abs(frozen.c) < 1e-6 && abs(frozen.scale - base.scale) < 1e-4)
        options = .init()
        options.coverage = 4.4
        #expect(abs(try FaceAligner(options: options).transform(for: lm.points2D).scale * 2 - base.scale) < 1e-4)
        options = .init()
        options.yOffset = 0.1  // crop moves down the face → the nose moves up in the crop
        let shifted = try FaceAligner(options: options).transform(for: lm.points2D)
        #expect(abs((base.apply(lm.points2D[1]).y - shifted.apply(lm.points2D[1]).y) - 0.1 * 224 / 2.2) < 1e-2)
        // Moving parts are left out of the fit: an open jaw does not move the crop.
        var talking = lm
        for i in FaceMeshTopology.movingParts { talking.points[i].y += 25 }
        let still = try FaceAligner().transform(for: talking.points2D)
        #expect(abs(still.tx - base.tx) < 1e-2 && abs(still.ty - base.ty) < 1e-2)
        #expect(throws: FaceAlignerError.wrongLandmarkCount(5)) { try FaceAligner().transform(for: Array(lm.points2D.prefix(5))) }
    }
}
