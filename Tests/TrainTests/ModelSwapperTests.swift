import Foundation
import Stream
import Testing
@testable import Train
@testable import Face
import TestSupport
@testable import Swap

/// `facelive run --model`: a model file behind the FaceSwapper seam.
@Suite struct ModelSwapperTests {
    @Test("aligns like the model's crops and answers in aligned space with the model's mask")
    func swapsAnAlignedFace() throws {
        let config = TrainingFixtures.config
        let network = makeTrainingModel(config, batch: 1, threads: 1)
        network.initialize(seed: 9)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SwapModelFile.contents(config: config, parameters: network.parameters).encoded(as: .f32).write(to: url)

        let swapper = try ModelSwapper(contentsOf: url.path)
        let alignment = try #require(swapper.alignment)
        #expect(alignment == config.alignment && alignment.resolution == config.resolution)
        // A trained face is relit less by default than a photo's.
        #expect(swapper.defaultRelighting == Relighting.trainedModelStrength && Relighting.trainedModelStrength < 1)

        let frame = try TestResources.image("astronaut_public_domain.png")
        let landmarker = try FaceLandmarker()
        let detection = try #require(try FaceDetector(model: .shortRange).detect(in: frame).first)
        let landmarks = try #require(landmarker.landmarks(in: frame, roi: FaceLandmarker.roi(from: detection)))
        let aligned = try FaceAligner(alignment: alignment).align(frame, landmarks: landmarks)
        let swapped = try #require(try swapper.swap(FaceSwapInput(frame: frame, landmarks: landmarks, aligned: aligned)))
        #expect(swapped.image.width == config.resolution && swapped.image.height == config.resolution)
        #expect(swapped.mask?.values.count == config.resolution * config.resolution)
        #expect(swapped.toFrame == aligned.alignedToImage)
        // The target's mouth opening is kept unless the model is to paint it.
        #expect(swapped.keptParts == [.mouth])
        let ownMouth = try ModelSwapper(contentsOf: url.path, keepsTargetMouth: false)
        #expect(try #require(try ownMouth.swap(FaceSwapInput(frame: frame, landmarks: landmarks, aligned: aligned))).keptParts.isEmpty)
        // Same crop, same answer as the model itself.
        let direct = try TrainedSwapModel(contentsOf: url).swap(aligned.image.pixels.map { Float($0) / 255 })
        let fromSwapper = swapped.image.pixels.map { Float($0) / 255 }
        #expect(zip(direct.face, fromSwapper).map { abs($0 - $1) }.max()! <= 0.5 / 255 + 1e-6)
    }
}
