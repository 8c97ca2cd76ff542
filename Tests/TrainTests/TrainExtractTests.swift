import Foundation
import Testing
@testable import Face
@testable import Train
@testable import Imaging
import TestSupport

@Suite struct TrainExtractTests {
    /// The astronaut photo in an image folder gives one aligned crop with 468 landmarks inside it.
    @Test func extractsTheAstronaut() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-extract-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let images = root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestResources.fixtures.appendingPathComponent("astronaut_public_domain.png"),
                                         to: images.appendingPathComponent("a.png"))
        var options = FacesetExtractor.Options()
        options.alignment = .wholeFace(resolution: 64)
        let extractor = try FacesetExtractor(options: options)
        let writer = try FacesetWriter(directory: root.appendingPathComponent("faces"), alignment: options.alignment)
        try extractor.extract(from: images.path, into: writer)
        try writer.finish()
        let faceset = try Faceset.read(from: writer.directory)
        #expect(faceset.faces.count == 1)
        let face = try #require(faceset.faces.first)
        #expect(face.landmarks.count == 468 && face.source == "a.png")
        let inside = face.landmarks.filter { $0[0] >= 0 && $0[0] < 64 && $0[1] >= 0 && $0[1] < 64 }
        #expect(inside.count == 468)
        let sheet = try FacesetExtractor.contactSheet(faceset, in: writer.directory, thumbnail: 32)
        #expect(sheet.width == 320 && sheet.height == 32)
    }

    @Test func missingInputIsAnError() throws {
        let extractor = try FacesetExtractor(options: .init())
        let writer = try FacesetWriter(directory: FileManager.default.temporaryDirectory.appendingPathComponent("facelive-none-\(UUID().uuidString)"),
                                       alignment: .wholeFace(resolution: 64))
        defer { try? FileManager.default.removeItem(at: writer.directory) }
        #expect(throws: TrainError.self) { try extractor.extract(from: "/nonexistent/clip.mp4", into: writer) }
    }

    @Test func blurMeasureSeparatesSharpFromFlat() {
        let size = 32
        let checker = (0..<(size * size)).map { Float(($0 % size + $0 / size) % 2 * 255) }
        let flat = [Float](repeating: 128, count: size * size)
        #expect(CropMetrics.laplacianVariance(checker, size: size) > 1000)
        #expect(CropMetrics.laplacianVariance(flat, size: size) < 1e-3)
    }
}
