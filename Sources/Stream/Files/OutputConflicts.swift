/// A file a job names on the command line, with the option that named it (for messages).
public struct NamedPath: Sendable {
    /// The option (`-i`, `-o`, `--preview`…).
    public var option: String
    /// What the user typed.
    public var path: String

    public init(_ option: String, _ path: String) {
        self.option = option
        self.path = path
    }

    /// The local file (or device node) this names; nil for stdout/stdin, URLs, lavfi graphs and numbered
    /// image sequences (`frames/%06d.png`).
    var localPath: String? {
        guard !path.contains("%") else { return nil }
        switch InputLocation(path) {
        case .file(let file): return file
        case .device(let device): return device
        case .standardInput, .lavfi, .url: return nil
        }
    }
}

/// The check every job makes before it opens anything: no output may be one of the inputs (under any name —
/// `..`, symlinks and hard links included) and no two outputs may be the same file.
public enum OutputConflicts {
    /// Throws ``StreamError/outputIsInput(output:input:)`` or ``StreamError/outputsCollide(_:_:)``.
    public static func check(outputs: [NamedPath], inputs: [NamedPath]) throws(StreamError) {
        let inputIDs = inputs.compactMap { input in
            input.localPath.flatMap(FileIdentity.init(path:)).map { (input, $0) }
        }
        var seen: [(NamedPath, String, FileIdentity?)] = []
        for output in outputs {
            guard let local = output.localPath else { continue }
            let identity = FileIdentity(path: local)
            if let identity, let (input, _) = inputIDs.first(where: { $0.1 == identity }) {
                throw .outputIsInput(output: describe(output), input: describe(input))
            }
            let resolved = StagedFile.resolve(local)
            if let (other, _, _) = seen.first(where: { $0.1 == resolved || ($0.2 != nil && $0.2 == identity) }) {
                throw .outputsCollide(describe(other), describe(output))
            }
            seen.append((output, resolved, identity))
        }
    }

    private static func describe(_ named: NamedPath) -> String { "\(named.option) \(named.path)" }
}
