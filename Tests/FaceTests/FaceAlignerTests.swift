import Foundation
import Stream
import Testing
@testable import Face
import Imaging
import TestSupport

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
        let face = try FaceAligner(alignment: FaceAlignment(resolution: 160)).align(frame, landmarks: lm)
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

    /// Every alignment setting moves or scales the crop as its documentation says.
    @Test func eachSettingMovesTheCropAsDocumented() throws {
        let lm = TestFaces.landmarks(center: SIMD2(300, 220), scale: 10, rotation: 0.25)
        let base = try FaceAligner().transform(for: lm.points2D)
        func transform(_ change: (inout FaceAlignment) -> Void, yaw: Float = 0, landmarks: [SIMD2<Float>]? = nil) throws -> AffineTransform2D {
            var alignment = FaceAlignment()
            change(&alignment)
            return try FaceAligner(alignment: alignment).transform(for: landmarks ?? lm.points2D, yaw: yaw)
        }
        let nose = lm.points2D[1]
        // freeze roll: upright, same scale.
        let frozen = try transform { $0.freezeRoll = true }
        #expect(abs(frozen.b) < 1e-6 && abs(frozen.c) < 1e-6 && abs(frozen.scale - base.scale) < 1e-4)
        #expect(abs(base.b) > 0.1)
        // coverage: twice the coverage, half the scale.
        #expect(abs(try transform { $0.coverage = 4.4 }.scale * 2 - base.scale) < 1e-4)
        // resolution: scale follows the crop side, the face keeps its place relative to the crop.
        let big = try transform { $0.resolution = 448 }
        #expect(abs(big.scale - 2 * base.scale) < 1e-4)
        #expect(simd_distance((big.apply(nose) + 0.5) / 448, (base.apply(nose) + 0.5) / 224) < 1e-4)
        // y offset: the crop moves down the face → the nose moves up in the crop by offset × resolution / coverage.
        let down = try transform { $0.yOffset = 0.1 }
        #expect(abs((base.apply(nose).y - down.apply(nose).y) - 0.1 * 224 / 2.2) < 1e-2)
        // x offset: the crop moves right along the face's own x axis → the nose moves left, by the same amount.
        let right = try transform { $0.xOffset = 0.1 }
        #expect(abs((base.apply(nose).x - right.apply(nose).x) - 0.1 * 224 / 2.2) < 1e-2)
        #expect(abs(base.apply(nose).y - right.apply(nose).y) < 1e-2)
        // head mode: coverage + 1 and the centre moved up (the nose lower in the crop), shifted against the yaw.
        let head = try transform { $0.headMode = true }
        #expect(abs(head.scale - base.scale * 2.2 / 3.2) < 1e-4)
        let noseInCrop = (base.apply(nose) + 0.5) / 224, noseInHead = (head.apply(nose) + 0.5) / 224
        #expect(noseInHead.y > noseInCrop.y + 0.05)
        let turned = try transform({ $0.headMode = true }, yaw: 30)
        #expect(abs(turned.apply(nose).x - head.apply(nose).x) > 1)
        // Moving parts are left out of the fit by default: an open jaw does not move the crop; fitting them, it does.
        var talking = lm
        for i in FaceMeshTopology.movingParts { talking.points[i].y += 25 }
        let still = try FaceAligner().transform(for: talking.points2D)
        #expect(abs(still.tx - base.tx) < 1e-2 && abs(still.ty - base.ty) < 1e-2)
        let fitted = try transform({ $0.excludeMovingParts = false }, landmarks: talking.points2D)
        let fittedBase = try transform { $0.excludeMovingParts = false }
        #expect(abs(fitted.ty - fittedBase.ty) > 1)
    }

    /// One validation for every alignment: NaN, infinities and out-of-range values are refused with the range.
    @Test func alignmentValidationNamesTheRange() throws {
        try FaceAlignment().validate()
        try FaceAlignment.wholeFace(resolution: 64).validate()
        let bad: [(FaceAlignment, String)] = [
            (FaceAlignment(coverage: .nan), "coverage"), (FaceAlignment(coverage: .infinity), "coverage"),
            (FaceAlignment(coverage: 0.1), "coverage"), (FaceAlignment(resolution: 8), "resolution"),
            (FaceAlignment(resolution: 5000), "resolution"), (FaceAlignment(xOffset: .nan), "x-offset"),
            (FaceAlignment(yOffset: 1e30), "y-offset"), (FaceAlignment(yOffset: -.infinity), "y-offset"),
        ]
        for (alignment, field) in bad {
            do {
                try alignment.validate()
                Issue.record("\(alignment) was accepted")
            } catch {
                #expect(error.description.hasPrefix(field) && error.description.contains("must be in"), "\(error)")
            }
        }
        let lm = TestFaces.landmarks(center: SIMD2(300, 220), scale: 10)
        #expect(throws: FaceAlignerError.self) { try FaceAligner(alignment: FaceAlignment(coverage: .nan)).transform(for: lm.points2D) }
    }

    /// Facesets and models written before the whole alignment was recorded still decode, with defaults.
    @Test func oldAlignmentRecordsDecode() throws {
        let old = try JSONDecoder().decode(FaceAlignment.self, from: Data(#"{"coverage": 1.6, "yOffset": -0.08, "faceType": "head"}"#.utf8))
        #expect(old == FaceAlignment(coverage: 1.6, yOffset: -0.08, headMode: true))
        let full = FaceAlignment(coverage: 2.5, resolution: 96, xOffset: 0.05, yOffset: -0.1, excludeMovingParts: false,
                                 headMode: true, freezeRoll: true)
        #expect(try JSONDecoder().decode(FaceAlignment.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func wrongLandmarkCountIsAnError() throws {
        let lm = TestFaces.landmarks(center: SIMD2(300, 220), scale: 10, rotation: 0.25)
        #expect(throws: FaceAlignerError.wrongLandmarkCount(5)) { try FaceAligner().transform(for: Array(lm.points2D.prefix(5))) }
    }
}
