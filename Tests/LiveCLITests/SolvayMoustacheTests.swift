import Foundation
import Stream
import Testing
@testable import Swap

/// `PhotoMoustache` on real faces: the committed Solvay 1927 group (public domain), 22 faces about 35–40 px wide,
/// each labelled by eye.
@Suite struct SolvayMoustacheTests {
    /// Face centres (pixels) of the men with a dark moustache, and of faces with none.
    static let dark: [SIMD2<Float>] = [[697, 508], [252, 517], [849, 473], [323, 469], [803, 389], [77, 464],
                                       [617, 460], [1063, 343]]
    static let bare: [SIMD2<Float>] = [[1117, 483], [1166, 532], [466, 470], [383, 511], [906, 384]]

    @Test func darkMoustachesAreFoundBareLipsAreNot() throws {
        let image = try RunCommandTests.image(RunCommandTests.solvay)
        let faces = try DetectionLog.detect(RunCommandTests.solvay, ["--max-faces", "0", "--tiles", "3x2"]).frames[0].faces
        func share(near centre: SIMD2<Float>) throws -> Float {
            let face = try #require(faces.min { a, b in
                func distance(_ f: DetectionLog.Face) -> Float {
                    let c = SIMD2(f.box[0] + f.box[2] / 2, f.box[1] + f.box[3] / 2) - centre
                    return (c * c).sum()
                }
                return distance(a) < distance(b)
            })
            let c = SIMD2(face.box[0] + face.box[2] / 2, face.box[1] + face.box[3] / 2) - centre
            try #require((c * c).sum() < 100, "no face found at \(centre)")
            return PhotoMoustache().share(of: image, landmarks: face.landmarks.map { SIMD2($0[0], $0[1]) })
        }
        for centre in Self.dark {
            let s = try share(near: centre)
            #expect(s > 0.9, "the moustache at \(centre): \(s)")
        }
        for centre in Self.bare {
            let s = try share(near: centre)
            #expect(s < 0.1, "the bare lip at \(centre): \(s)")
        }
    }
}
