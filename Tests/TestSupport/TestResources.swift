import Face
import Foundation
import Neural
import Stream

/// Paths the tests use: committed fixtures and vendored models in the repo, and `../shared` when present.
package enum TestResources {
    package static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    package static let fixtures = repoRoot.appendingPathComponent("Tests/Fixtures")
    package static let vendoredModels = repoRoot.appendingPathComponent("Sources/Face/Resources/models")
    /// `../shared` beside the checkout (material for development and CI; absent elsewhere).
    package static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    package static let sharedGolden = shared.appendingPathComponent("golden")
    package static let sharedModels = shared.appendingPathComponent("models")

    package static var hasSharedGolden: Bool { FileManager.default.fileExists(atPath: sharedGolden.path) }
    package static var hasSharedModels: Bool { FileManager.default.fileExists(atPath: sharedModels.path) }

    package static func vendored(_ model: FaceModel) -> URL { vendoredModels.appendingPathComponent(model.fileName) }

    /// Decodes a committed still through Stream's FFmpeg source.
    package static func image(_ name: String) throws -> RGBImage {
        let source = try MediaSource(fixtures.appendingPathComponent(name).path)
        guard let frame = try source.nextFrame() else { throw CocoaError(.fileReadCorruptFile) }
        return try frame.image
    }

    /// Compiled graphs of the vendored models, loaded once per test process.
    package static let graphs: [FaceModel: Graph] = {
        var graphs: [FaceModel: Graph] = [:]
        for model in FaceModel.allCases {
            graphs[model] = try! TFLiteModel(contentsOf: vendored(model)).makeGraph()
        }
        return graphs
    }()
}
