import Foundation
import Neural
import Testing
@testable import Swap
@testable import Train

@Suite struct TrainModelFileTests {
    static func sample() -> SafetensorsFile {
        var random = RandomSource(seed: 9)
        return SafetensorsFile(tensors: [
            "a.weight": .init(shape: [2, 3, 4], values: (0..<24).map { _ in random.uniform(-3, 3) }),
            "b": .init(shape: [5], values: [0, -1.5, 65504, 1e-6, .pi]),
        ], metadata: ["config": "{\"x\":1}", "note": "ünïcode"])
    }

    @Test func float32RoundTripIsExact() throws {
        let file = Self.sample()
        let decoded = try SafetensorsFile(data: file.encoded(as: .f32))
        #expect(decoded == file)
    }

    @Test func float16RoundTripIsWithinHalfPrecision() throws {
        let file = Self.sample()
        let data = file.encoded(as: .f16)
        #expect(data.count < file.encoded(as: .f32).count)
        let decoded = try SafetensorsFile(data: data)
        #expect(decoded.metadata == file.metadata)
        for (name, entry) in file.tensors {
            let got = try #require(decoded.tensors[name])
            #expect(got.shape == entry.shape)
            for (a, b) in zip(entry.values, got.values) {
                #expect(abs(a - b) <= max(abs(a) * 1e-3, 6e-8), "\(name): \(a) → \(b)")
            }
        }
    }

    @Test func headerLayoutFollowsTheFormat() throws {
        let data = Self.sample().encoded()
        let length = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        #expect((8 + length) % 8 == 0)
        let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any])
        let entry = try #require(header["b"] as? [String: Any])
        #expect(entry["dtype"] as? String == "F32")
        #expect(entry["shape"] as? [Int] == [5])
        #expect(data.count == 8 + length + (24 + 5) * 4)
    }

    @Test func truncatedFilesAreRejected() {
        let data = Self.sample().encoded()
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: data.prefix(data.count - 4)) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: Data([1, 2, 3])) }
    }

    /// `facelive model --half`: an fp16 copy is half the size, loads, and swaps within a grey level of the fp32 model.
    @Test func float16CopyRunsLikeTheFloat32Model() throws {
        // A briefly trained model: a freshly initialised one answers ~0.5 everywhere, which any tolerance would meet.
        let sets = try TrainingFixtures.facesets(count: 4)
        defer { try? FileManager.default.removeItem(at: sets.directory) }
        let options = TrainingFixtures.options(sets)
        let trainer = try Trainer(options: options)
        for _ in 0..<60 { trainer.step() }
        try trainer.saveCheckpoint()
        let full = options.output, half = sets.directory.appendingPathComponent("half.safetensors")
        try SwapModelFile.convert(full, to: half, dtype: .f16)

        let fullBytes = try Data(contentsOf: full).count, halfBytes = try Data(contentsOf: half).count
        #expect(Double(halfBytes) < 0.55 * Double(fullBytes))
        let fullWeights = try SafetensorsFile(contentsOf: full).tensors["encoder.down0.weight"]!.values
        let halfWeights = try SafetensorsFile(contentsOf: half).tensors["encoder.down0.weight"]!.values
        #expect(fullWeights != halfWeights, "really rounded to fp16")

        let fp32 = try TrainedSwapModel(contentsOf: full), fp16 = try TrainedSwapModel(contentsOf: half)
        let faceset = try Faceset.read(from: sets.dst)
        var spread: Float = 0
        for face in faceset.faces {
            let input = try faceset.image(of: face, in: sets.dst).pixels.map { Float($0) / 255 }
            let a = fp32.swap(input), b = fp16.swap(input)
            let faceError = zip(a.face, b.face).map { abs($0 - $1) }.max()!
            let maskError = zip(a.mask, b.mask).map { abs($0 - $1) }.max()!
            #expect(faceError < 1 / 255 && maskError < 1 / 255, "face \(faceError), mask \(maskError)")
            spread = max(spread, a.face.max()! - a.face.min()!)
        }
        #expect(spread > 20 / 255, "the outputs vary, so the tolerance is not met trivially (spread \(spread))")
    }

    @Test func conversionRefusesFilesThatAreNotModels() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-model-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.sample().write(to: url)
        #expect(throws: TrainError.self) { try SwapModelFile.convert(url, to: url, dtype: .f16) }
    }
}
