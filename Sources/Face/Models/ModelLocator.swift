import Foundation
import Neural

/// Finds model files. Search order: an explicit directory (`--models DIR`), the `FACELIVE_MODELS` environment
/// variable, a `models` directory next to the executable, then the models bundled with the Swap module.
public struct ModelLocator: Sendable {
    /// Why a model was not found.
    public struct NotFound: Error, CustomStringConvertible, Equatable {
        public let fileName: String
        public let searched: [String]
        public var description: String {
            "model \(fileName) not found; searched: \(searched.joined(separator: ", ")) (use --models DIR or FACELIVE_MODELS)"
        }
    }

    /// Directory given explicitly (highest priority), e.g. from `--models`.
    public var directory: String?
    /// Environment to read `FACELIVE_MODELS` from.
    public var environment: [String: String]

    public init(directory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = directory
        self.environment = environment
    }

    /// Directories searched, in order.
    public var searchPath: [String] {
        var dirs: [String] = []
        if let directory { dirs.append(directory) }
        if let env = environment["FACELIVE_MODELS"], !env.isEmpty { dirs.append(env) }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            dirs.append(exe.appendingPathComponent("models").path)
        }
        if let bundled = Self.bundledModels { dirs.append(bundled) }
        return dirs
    }

    /// The file for `model`.
    public func url(for model: FaceModel) throws(NotFound) -> URL {
        try url(forFile: model.fileName)
    }

    /// The first readable `name` in the search path.
    public func url(forFile name: String) throws(NotFound) -> URL {
        let dirs = searchPath
        for dir in dirs {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(name)
            if FileManager.default.isReadableFile(atPath: url.path) { return url }
        }
        throw NotFound(fileName: name, searched: dirs)
    }

    /// Loads and compiles `model`.
    public func graph(for model: FaceModel) throws -> Graph {
        try TFLiteModel(contentsOf: try url(for: model)).makeGraph()
    }

    /// The package resource directory, looked up without `Bundle.module` (which aborts when the bundle is missing,
    /// e.g. for a binary copied elsewhere).
    static var bundledModels: String? {
        let bundleName = "facelive_Face.resources"
        var candidates = [Bundle.main.bundleURL.appendingPathComponent(bundleName)]
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(exe.appendingPathComponent(bundleName))
        }
        for bundle in candidates {
            let dir = bundle.appendingPathComponent("models")
            if FileManager.default.fileExists(atPath: dir.path) { return dir.path }
        }
        return nil
    }
}
