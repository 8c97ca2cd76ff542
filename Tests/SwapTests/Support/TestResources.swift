import Foundation
import Stream
import Swap

/// Paths the tests use: committed fixtures and vendored models in the repo, and `../shared` when present.
enum TestResources {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repoRoot.appendingPathComponent("Tests/SwapTests/Fixtures")
    static let vendoredModels = repoRoot.appendingPathComponent("Sources/Swap/Resources/models")
    /// `../shared` beside the checkout (material for development and CI; absent elsewhere).
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let sharedGolden = shared.appendingPathComponent("golden")
    static let sharedModels = shared.appendingPathComponent("models")

    static var hasSharedGolden: Bool { FileManager.default.fileExists(atPath: sharedGolden.path) }
    static var hasSharedModels: Bool { FileManager.default.fileExists(atPath: sharedModels.path) }

    static func vendored(_ model: FaceModel) -> URL { vendoredModels.appendingPathComponent(model.fileName) }

    /// Decodes a committed still through Stream's FFmpeg source.
    static func image(_ name: String) throws -> RGBImage {
        let source = try MediaSource(fixtures.appendingPathComponent(name).path)
        guard let frame = try source.nextFrame() else { throw CocoaError(.fileReadCorruptFile) }
        return try frame.image
    }

    /// Compiled graphs of the vendored models, loaded once per test process.
    static let graphs: [FaceModel: Graph] = {
        var graphs: [FaceModel: Graph] = [:]
        for model in FaceModel.allCases {
            graphs[model] = try! TFLiteModel(contentsOf: vendored(model)).makeGraph()
        }
        return graphs
    }()
}
