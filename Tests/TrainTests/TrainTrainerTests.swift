import Foundation
import Swap
import Testing
@testable import Train

@Suite(.serialized) struct TrainTrainerTests {
    @Test func facesetRoundTrip() throws {
        let sets = try TrainingFixtures.facesets(count: 3)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        let faceset = try Faceset.read(from: sets.src)
        #expect(faceset.faces.count == 3 && faceset.resolution == TrainingFixtures.resolution)
        #expect(faceset.faces[1].landmarks.count == 4 && faceset.faces[1].frame == 1)
        let image = try faceset.image(of: faceset.faces[0], in: sets.src)
        #expect(image.width == TrainingFixtures.resolution)
        #expect(throws: TrainError.self) { try Faceset.read(from: sets.directory) }
    }

    /// With augmentation on, 250 iterations on the tiny facesets cut the loss by more than half.
    @Test func lossFalls() throws {
        let sets = try TrainingFixtures.facesets()
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        let trainer = try Trainer(options: TrainingFixtures.options(sets))
        let losses = (0..<250).map { _ in trainer.step().total }
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(20).reduce(0, +) / 20
        #expect(last < 0.5 * first, "loss \(first) → \(last)")
        let preview = trainer.preview()
        #expect(preview.width == 5 * TrainingFixtures.resolution && preview.height == 4 * TrainingFixtures.resolution)
    }

    /// Checkpoint after k iterations, resume in a new trainer: the next losses equal an uninterrupted run's exactly.
    @Test(arguments: SwapArchitecture.allCases)
    func resumeIsExact(_ architecture: SwapArchitecture) throws {
        let sets = try TrainingFixtures.facesets(count: 4)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        var config = TrainingFixtures.config
        config.architecture = architecture
        var options = TrainingFixtures.options(sets, config: config)
        let k = 6
        let straight = try Trainer(options: options)
        let reference = (0..<(2 * k)).map { _ in straight.step() }

        options.output = sets.directory.appendingPathComponent("resumed.safetensors")
        let first = try Trainer(options: options)
        for _ in 0..<k { first.step() }
        try first.saveCheckpoint()
        #expect(throws: TrainError.self) { try Trainer(options: options) }  // exists, no --resume
        options.resume = true
        let resumed = try Trainer(options: options)
        #expect(resumed.iteration == k)
        let continued = (0..<k).map { _ in resumed.step() }
        #expect(continued == Array(reference[k...]))
        let log = try String(contentsOf: options.lossLogPath, encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1 + 2 * k)
    }
}
