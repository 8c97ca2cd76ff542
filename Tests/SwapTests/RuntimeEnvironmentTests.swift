import Foundation
import Testing
@testable import Swap

@Suite struct RuntimeEnvironmentTests {
    /// The test machine runs the kernels, so it must pass its own check (and the message API must say so).
    @Test func cpuHasBuildFeatures() {
        #expect(CPUFeatures.check() == nil)
        #expect(!CPUFeatures.buildTarget.isEmpty)
    }

    @Test func modelLocatorSearchOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-models-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(FaceModel.landmarks.fileName)
        try Data([1, 2, 3]).write(to: file)

        let explicit = ModelLocator(directory: dir.path, environment: [:])
        #expect(try explicit.url(for: .landmarks).path == file.path)
        #expect(explicit.searchPath.first == dir.path)
        let fromEnv = ModelLocator(environment: ["FACELIVE_MODELS": dir.path])
        #expect(try fromEnv.url(for: .landmarks).path == file.path)
        // The explicit directory wins over the environment.
        let both = ModelLocator(directory: "/nonexistent", environment: ["FACELIVE_MODELS": dir.path])
        #expect(both.searchPath.prefix(2) == ["/nonexistent", dir.path])
        // Without either, the bundled resources are found (the test runner sits next to the resource bundle).
        let bundled = try ModelLocator(environment: [:]).url(for: .shortRangeDetector)
        #expect(bundled.lastPathComponent == "face_detection_short_range.tflite")
        #expect {
            try ModelLocator(directory: dir.path, environment: [:]).url(forFile: "absent.tflite")
        } throws: { error in
            let notFound = error as? ModelLocator.NotFound
            return notFound?.searched.first == dir.path && notFound?.description.contains("absent.tflite") == true
        }
    }
}
