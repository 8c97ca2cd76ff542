import Foundation
import Testing
import Swap
import Stream
@testable import Train

/// The held-out reconstruction figure, `--until-ssim`, warm-up and `--from`/`--keep`, on real short trainings.
@Suite struct TrainHeldOutTests {
    @Test func heldOutSplit() {
        let face = FaceSample(crop: RGBImage(width: 8, height: 8), landmarks: [], resolution: 8)
        #expect(HeldOutFaces.split(Array(repeating: face, count: 4)).heldOut.isEmpty)
        let split = HeldOutFaces.split(Array(repeating: face, count: 10))
        #expect(split.heldOut.count == 2 && split.training.count == 8)
        #expect(HeldOutFaces.count(of: 100) == 4)
    }

    @Test func ssimOfIdenticalAndDifferentFaces() {
        let r = 24
        var random = RandomSource(seed: 5)
        let a = (0..<(r * r * 3)).map { _ in random.unit() }, b = (0..<(r * r * 3)).map { _ in random.unit() }
        let mask = [Float](repeating: 1, count: r * r)
        var scorer = ReconstructionSSIM(resolution: r)
        #expect(abs(scorer.ssim(face: a, target: a, mask: mask) - 1) < 1e-5)
        #expect(scorer.ssim(face: b, target: a, mask: mask) < 0.2)
    }

    /// Held-out SSIM lands in the loss CSV every `previewEvery` iterations; a second run with the same seed and a
    /// target stops at the first evaluation that reaches it. (On the fixture's eight tiny training crops the model
    /// memorises rather than generalises, so the held-out figure need not rise here; see the next test.)
    @Test func heldOutFigureAndTarget() throws {
        let sets = try TrainingFixtures.facesets(count: 10)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        var options = TrainingFixtures.options(sets)
        options.previewEvery = 10
        options.iterations = 60
        let first = try Trainer(options: options)
        var reports: [TrainingProgress] = []
        _ = try first.run(stop: StopRequest()) { reports.append($0) }
        #expect(reports.first?.heldOut == nil && reports.last?.heldOut != nil)
        let rows = try String(contentsOf: options.lossLogPath, encoding: .utf8).split(separator: "\n")
        #expect(rows[0] == "iteration,src_loss,dst_loss,src_ssim,dst_ssim")
        let scored = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .filter { !$0[3].isEmpty }
        #expect(scored.map { Int($0[0])! } == [10, 20, 30, 40, 50, 60])
        let worst = scored.map { min(Double($0[3])!, Double($0[4])!) }
        #expect(worst.allSatisfy { $0 > -1 && $0 <= 1 })
        #expect(Set(worst).count > 1, "held-out SSIM \(worst)")

        // The first evaluation past the middle one's figure is where a run targeting it must stop.
        let target = worst[2] - 1e-4
        let stopAt = zip(scored, worst).first { $0.1 >= target }.map { Int($0.0[0])! }!
        options.output = sets.directory.appendingPathComponent("targeted.safetensors")
        options.untilSSIM = target
        let second = try Trainer(options: options)
        var etas: [Double?] = []
        let last = try second.run(stop: StopRequest()) { etas.append($0.secondsToTarget) }
        #expect(last.iteration == stopAt && stopAt < 60)
        #expect(second.heldOutScore!.worst >= target)
        #expect(etas.last! == 0)
    }

    /// With the trained faces themselves as the "held-out" set, the figure must rise as the loss falls.
    @Test func figureRisesOnTrainedFaces() throws {
        let sets = try TrainingFixtures.facesets(count: 6)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        let r = TrainingFixtures.resolution
        let src = try TrainingData.load(sets.src, resolution: r).0, dst = try TrainingData.load(sets.dst, resolution: r).0
        let data = TrainingData(source: src, destination: dst, heldOutSource: src, heldOutDestination: dst)
        var options = TrainingFixtures.options(sets)
        options.previewEvery = 30
        options.iterations = 90
        let trainer = try Trainer(options: options, data: data)
        var scores: [Double] = []
        _ = try trainer.run(stop: StopRequest()) { p in
            if p.iteration % 30 == 0, let s = p.heldOut { scores.append(s.worst) }
        }
        #expect(scores.count == 3 && scores.last! > scores.first! + 0.02, "SSIM on trained faces \(scores)")
    }

    @Test func targetNeedsHeldOutFacesAndARange() throws {
        let sets = try TrainingFixtures.facesets(count: 4)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        var options = TrainingFixtures.options(sets)
        options.previewEvery = 10
        options.untilSSIM = 0.8
        #expect(throws: TrainError.invalidConfiguration("an SSIM target needs faces held out of training: give each faceset at least 5 faces")) {
            try Trainer(options: options)
        }
        for bad in [Double.nan, .infinity, 1.5, 0] {
            options.untilSSIM = bad
            #expect(throws: TrainError.self) { try options.validate() }
        }
    }

    /// Warm-up scales the first steps' learning rate: the first step moves the weights a tenth as far.
    @Test func warmupScalesTheFirstSteps() throws {
        let sets = try TrainingFixtures.facesets(count: 4)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        func firstStepMove(warmup: Int) throws -> Double {
            var options = TrainingFixtures.options(sets)
            options.output = sets.directory.appendingPathComponent("w\(warmup).safetensors")
            options.warmupIterations = warmup
            let trainer = try Trainer(options: options)
            let before = trainer.model.parameters.map(\.values)
            trainer.step()
            return zip(before, trainer.model.parameters.map(\.values)).reduce(0.0) { sum, pair in
                sum + zip(pair.0, pair.1).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) }
            }
        }
        let full = try firstStepMove(warmup: 0), warm = try firstStepMove(warmup: 10)
        #expect(abs(warm / full - 0.1) < 0.01, "first step moved \(warm) with warm-up, \(full) without")
    }

    /// `--from` copies the kept parts and leaves the others at their fresh initialisation; incompatible models are
    /// refused with one line.
    @Test func startFromAnotherModel() throws {
        let sets = try TrainingFixtures.facesets(count: 4)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        var options = TrainingFixtures.options(sets)
        options.iterations = 5
        let donor = try Trainer(options: options)
        _ = try donor.run(stop: StopRequest()) { _ in }
        let donorValues = Dictionary(uniqueKeysWithValues: donor.model.parameters.map { ($0.name, $0.values) })

        var fresh = TrainingFixtures.options(sets)
        fresh.output = sets.directory.appendingPathComponent("fresh.safetensors")
        let scratch = try Trainer(options: fresh)
        fresh.output = sets.directory.appendingPathComponent("reused.safetensors")
        fresh.reuse = ModelReuse(model: options.output, parts: [.encoder, .inter])
        let reused = try Trainer(options: fresh)
        for (p, q) in zip(reused.model.parameters, scratch.model.parameters) {
            if p.name.hasPrefix("decoder") {
                #expect(p.values == q.values, "\(p.name) should be freshly initialised")
            } else {
                #expect(p.values == donorValues[p.name]!, "\(p.name) should come from the donor")
            }
        }

        var liae = fresh
        liae.output = sets.directory.appendingPathComponent("liae.safetensors")
        liae.config.architecture = .liae
        #expect(throws: TrainError.incompatibleModel(path: options.output.path, reason: "it is a df model, this one is liae")) {
            try Trainer(options: liae)
        }
        var wider = fresh
        wider.output = sets.directory.appendingPathComponent("wider.safetensors")
        wider.config.eDims = 12
        do {
            _ = try Trainer(options: wider)
            Issue.record("a model with other encoder widths was accepted")
        } catch {
            #expect(error.description.hasPrefix("cannot start from ") && error.description.contains("encoder.down0.weight"))
            #expect(!error.description.contains("\n"))
        }
    }
}
