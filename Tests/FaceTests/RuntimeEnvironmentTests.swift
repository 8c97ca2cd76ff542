import Foundation
import Synchronization
import Testing
@testable import Face
@testable import Neural
import TestSupport

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

@Suite struct ExecutorConcurrencyTests {
    /// One graph, one executor per thread: concurrent runs give the same result as a lone run.
    @Test func executorsShareAGraphAcrossThreads() throws {
        let graph = TestResources.graphs[.landmarks]!
        var rng = SeededRandom(seed: 99)
        let input = Tensor(shape: graph.inputShapes[0], values: (0..<graph.inputShapes[0].count).map { _ in Float(rng.next() % 256) / 255 })
        let reference = GraphExecutor(graph: graph).run([input]).map(\.scalars)
        let results = Mutex<[[[Float]]]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let executor = GraphExecutor(graph: graph)
            var outputs: [[Float]] = []
            for _ in 0..<3 { outputs = executor.run([input]).map(\.scalars) }
            results.withLock { $0.append(outputs) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        for r in all { #expect(r == reference) }
    }

    @Test func detectorRejectsTheWrongNetwork() {
        #expect(throws: IncompatibleModel.self) {
            try FaceDetector(model: .shortRange, graph: TestResources.graphs[.fullRangeDetector]!)
        }
        #expect(throws: IncompatibleModel.self) {
            try FaceLandmarker(graph: TestResources.graphs[.shortRangeDetector]!)
        }
    }
}
