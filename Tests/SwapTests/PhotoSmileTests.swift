import Face
import Imaging
import Stream
import Testing
@testable import Swap

@Suite struct PhotoSmileTests {
    /// The astronaut's landmarks with her mouth's corners drawn in towards its centre by `share` of its width each and
    /// down to the lips' centre: her smile closed into a pursed mouth.
    static func pursed(_ share: Float) -> FaceLandmarks {
        var points = AstronautPhoto.landmarks.points
        let centre = (points[FaceMeshTopology.upperInnerLip] + points[FaceMeshTopology.lowerInnerLip]) / 2
        let width = abs(points[FaceMeshTopology.mouthRight].x - points[FaceMeshTopology.mouthLeft].x)
        for corner in [FaceMeshTopology.mouthRight, FaceMeshTopology.mouthLeft] {
            let p = points[corner]
            let inwards: Float = centre.x > p.x ? 1 : -1
            points[corner] = SIMD3(p.x + inwards * share * width, centre.y, p.z)
        }
        return FaceLandmarks(points: points, presence: AstronautPhoto.landmarks.presence)
    }

    @Test func theAstronautsSmileMismatchesAPursedMouthNotHerOwn() {
        let photo = PhotoSmile.measure(AstronautPhoto.landmarks.points2D)
        // Her broad smile reads well above a face at rest (the shared portraits read 0.30–0.46).
        #expect(photo > 0.55, "the astronaut's smile \(photo)")
        let smile = PhotoSmile()
        #expect(smile.mismatch(photo: photo, target: AstronautPhoto.landmarks.points2D) == 0)
        #expect(smile.mismatch(photo: photo, target: Self.pursed(0.2).points2D) == 1)
        // A little less wide: a little mismatch, no step.
        let slight = smile.mismatch(photo: photo, target: Self.pursed(0.07).points2D)
        #expect(slight > 0 && slight < 0.8, "corners drawn in by 7 %: \(slight)")
        // Not a face's 468 landmarks: nothing to tell.
        #expect(PhotoSmile.measure(Array(AstronautPhoto.landmarks.points2D.prefix(100))) == 0)
    }

    @Test func theMeshSwapHandsTheMismatchToTheMerger() throws {
        let swapper = try MeshSwapper(source: AstronautPhoto.image, sourceLandmarks: AstronautPhoto.landmarks)
        let own = try #require(try swapper.swap(FaceSwapInput(frame: AstronautPhoto.image,
                                                              landmarks: AstronautPhoto.landmarks)))
        #expect(own.smileMismatch == 0)
        let pursed = try #require(try swapper.swap(FaceSwapInput(frame: AstronautPhoto.image,
                                                                 landmarks: Self.pursed(0.2))))
        #expect(pursed.smileMismatch == 1)
    }
}
