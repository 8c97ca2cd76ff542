import Imaging
import Testing
@testable import Train
import TestSupport

/// Training's colour augmentation: a source face recoloured towards a destination face (Reinhard in YCbCr).
@Suite struct ColourAugmentationTests {
    static let resolution = 48
    static let landmarks: [[Float]] = [[8, 6], [40, 6], [42, 42], [6, 42]]

    /// Two crops of the astronaut photo with different colours: the face, and the orange suit below it.
    static func faces() throws -> (face: FaceSample, suit: FaceSample) {
        let photo = try TestResources.image("astronaut_public_domain.png")
        let face = FaceSample(crop: photo.cropped(x: 165, y: 60, width: 120, height: 120), landmarks: landmarks.map { $0.map { $0 * 2.5 } },
                              resolution: resolution)
        let suit = FaceSample(crop: photo.cropped(x: 40, y: 290, width: 150, height: 150), landmarks: landmarks.map { $0.map { $0 * 3.125 } },
                              resolution: resolution)
        return (face, suit)
    }

    /// YCbCr mean and deviation under the mask, computed here from the JPEG formulas.
    static func statistics(_ pixels: [Float], mask: [Float]) -> (mean: SIMD3<Float>, deviation: SIMD3<Float>) {
        var values: [SIMD3<Float>] = []
        for i in mask.indices where mask[i] > 0.5 {
            let r = pixels[3 * i], g = pixels[3 * i + 1], b = pixels[3 * i + 2]
            values.append(SIMD3(0.299 * r + 0.587 * g + 0.114 * b, -0.168736 * r - 0.331264 * g + 0.5 * b,
                                0.5 * r - 0.418688 * g - 0.081312 * b))
        }
        let mean = values.reduce(.zero, +) / Float(values.count)
        let variance = values.reduce(.zero) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        return (mean, variance.squareRoot())
    }

    /// The largest per-channel difference.
    static func gap(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
        let d = a - b
        return max(abs(d.x), abs(d.y), abs(d.z))
    }

    @Test("a recoloured face takes the reference face's YCbCr mean and deviation")
    func recolouredFaceMatchesTheReference() throws {
        let (face, suit) = try Self.faces()
        let before = Self.statistics(face.pixels, mask: face.mask)
        let reference = Self.statistics(suit.pixels, mask: suit.mask)
        #expect(Self.gap(before.mean, reference.mean) > 0.05, "the crops must differ in colour for the test to mean anything")
        var pixels = face.pixels
        face.recolour(&pixels, like: suit)
        let after = Self.statistics(pixels, mask: face.mask)
        // Clamping to [0, 1] shifts a few values; everything else lands on the reference's statistics.
        #expect(Self.gap(after.mean, reference.mean) < 0.01)
        #expect(Self.gap(after.deviation, reference.deviation) < 0.01)
    }

    @Test("recolouring a face like itself changes nothing")
    func recolouringLikeItselfIsIdentity() throws {
        let (face, _) = try Self.faces()
        var pixels = face.pixels
        face.recolour(&pixels, like: face)
        #expect(zip(pixels, face.pixels).map { abs($0 - $1) }.max()! < 1e-4)
    }
}
