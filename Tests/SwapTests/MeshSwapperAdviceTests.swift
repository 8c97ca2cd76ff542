import Foundation
import Testing
@testable import Face
import TestSupport
@testable import Swap

/// What the mesh swapper warns about a photo: a face turned too far to the side (frames of a head turn when
/// ../shared is present), and nothing for the shipped photo.
@Suite struct MeshSwapperAdviceTests {
    static func turnWarning(_ advice: [String]) -> String? {
        advice.first { $0.hasPrefix("the photo's face is turned") }
    }

    @Test func theShippedPhotoGetsNoWarning() throws {
        let swapper = try MeshSwapper(source: AstronautPhoto.image, sourceLandmarks: AstronautPhoto.landmarks)
        #expect(swapper.advice.isEmpty, "\(swapper.advice)")
    }

    /// headturn_720p_s32: turned about 26° at frame 1, about 15° at frame 134.
    @Test(.enabled(if: SharedClipFace.isPresent("headturn_720p_s32"),
                   "skipped: ../shared/media/video/headturn_720p_s32.mp4 not present"))
    func aPhotoTurnedFarToTheSideIsWarnedAbout() throws {
        let (turned, turnedMesh) = try #require(try SharedClipFace.face("headturn_720p_s32", frame: 1))
        let yaw = abs(turnedMesh.headPose.yaw)
        #expect(yaw > MeshSwapper.frontalPhotoYaw + 3, "frame 1 turned \(yaw)°: the clip no longer shows a far turn")
        let warning = Self.turnWarning(try MeshSwapper(source: turned, sourceLandmarks: turnedMesh).advice)
        #expect(warning?.contains("degrees to the side") == true, "\(String(describing: warning))")
        #expect(warning?.contains("turned \(Int(yaw.rounded())) degrees") == true, "\(String(describing: warning))")

        let (slight, slightMesh) = try #require(try SharedClipFace.face("headturn_720p_s32", frame: 134))
        #expect(abs(slightMesh.headPose.yaw) < MeshSwapper.frontalPhotoYaw - 2)
        #expect(Self.turnWarning(try MeshSwapper(source: slight, sourceLandmarks: slightMesh).advice) == nil)
    }
}
