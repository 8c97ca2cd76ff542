import Foundation
import Testing
@testable import Neural
@testable import Swap
@testable import Train

/// Model files are untrusted input: absurd numbers in them are refused in one line, never a trap, a petabyte
/// allocation or a model that silently paints nothing.
@Suite struct UntrustedModelFileTests {
    static func file(header: String, payload: Int = 0) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        return data + Data(header.utf8) + Data(count: payload)
    }

    @Test("a header length of 2^64-1 is refused")
    func hugeHeaderLength() {
        var data = Data()
        withUnsafeBytes(of: UInt64.max.littleEndian) { data.append(contentsOf: $0) }
        data.append(Data("{}".utf8))
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: data) }
    }

    @Test("shapes whose product overflows or passes the file are refused", arguments: [
        "[4611686018427387904, 4611686018427387904, 4, 4]", "[9223372036854775807, 2]", "[1000000, 1000000]", "[-1, 4]",
    ])
    func hugeShapes(_ shape: String) {
        let data = Self.file(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[0,64]}}", payload: 64)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: data) }
    }

    @Test("offsets past the end, or reversed, are refused", arguments: ["[0, 9223372036854775807]", "[64, 0]", "[9223372036854775800, 9223372036854775807]"])
    func badOffsets(_ offsets: String) {
        let data = Self.file(header: "{\"t\":{\"dtype\":\"F32\",\"shape\":[16],\"data_offsets\":\(offsets)}}", payload: 64)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: data) }
    }

    @Test("widths of 2^40 in a model's configuration are refused before anything is allocated")
    func hugeWidths() {
        var config = TrainingFixtures.config
        config.aeDims = 1 << 40
        #expect(throws: SwapModelError.self) { try config.validate() }
        config = TrainingFixtures.config
        config.eDims = 1 << 20
        #expect(throws: SwapModelError.self) { try config.validate() }
    }

    @Test("a model with NaN or 1e30 weights is refused at load, naming the weight", arguments: [Float.nan, Float(1e30), -Float.infinity])
    func brokenWeights(_ value: Float) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let network = makeTrainingModel(TrainingFixtures.config, batch: 1, threads: 1)
        var file = SwapModelFile.contents(config: TrainingFixtures.config, parameters: network.parameters)
        let name = try #require(file.tensors.keys.sorted().first { $0.hasPrefix("encoder") })
        file.tensors[name]!.values[0] = value
        let url = dir.appendingPathComponent("broken.safetensors")
        try file.encoded(as: .f32).write(to: url)
        let error = #expect(throws: SwapModelError.self) { try ModelSwapper(contentsOf: url.path) }
        #expect("\(error.map { "\($0)" } ?? "")".contains(name))
        // The untouched model loads, so the check does not refuse good files.
        let good = dir.appendingPathComponent("good.safetensors")
        try SwapModelFile.contents(config: TrainingFixtures.config, parameters: network.parameters).encoded(as: .f32).write(to: good)
        _ = try ModelSwapper(contentsOf: good.path)
    }

    @Test("a model path that is a folder, or missing, says so")
    func folderOrMissing() {
        let folder = FileManager.default.temporaryDirectory
        #expect(throws: SafetensorsError.unreadable(path: folder.path, reason: "is a directory, not a model file")) {
            try SafetensorsFile(contentsOf: folder)
        }
        let missing = folder.appendingPathComponent("no-such-\(UUID().uuidString).safetensors")
        #expect(throws: SafetensorsError.unreadable(path: missing.path, reason: "no such file")) { try SafetensorsFile(contentsOf: missing) }
    }

    @Test("a non-finite or huge learning rate and a huge batch are refused by the trainer's options")
    func trainingOptionBounds() {
        let url = URL(fileURLWithPath: "/nonexistent")
        for (rate, batch) in [(Float.nan, 8), (1e30, 8), (5e-5, 100_000), (5e-5, 0)] {
            var options = TrainingOptions(source: url, destination: url, output: url, config: TrainingFixtures.config)
            options.learningRate = rate
            options.batch = batch
            #expect(throws: TrainError.self) { try options.validate() }
        }
    }
}
