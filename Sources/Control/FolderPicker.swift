import Foundation

/// Files offered for picking from one folder (`--faces-dir`, `--models-dir`): a pick names a file in the folder
/// itself, never a path that leaves it.
public struct FolderPicker: Sendable {
    public let folder: String
    /// Accepted file extensions, lower case, without the dot.
    public let extensions: Set<String>

    public init(folder: String, extensions: Set<String>) {
        self.folder = (folder as NSString).standardizingPath
        self.extensions = extensions
    }

    /// The files offered, sorted.
    public var names: [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return all.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && resolve($0) != nil }.sorted()
    }

    /// The path of the file `name` in the folder, or nil when `name` is not a plain file name there (slashes,
    /// `..`, hidden files, symbolic links out of the folder, other extensions).
    public func resolve(_ name: String) -> String? {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix("."), !name.contains("\0"),
              extensions.contains((name as NSString).pathExtension.lowercased()) else { return nil }
        let path = (folder as NSString).appendingPathComponent(name)
        let real = (path as NSString).resolvingSymlinksInPath
        let realFolder = (folder as NSString).resolvingSymlinksInPath
        var isDirectory: ObjCBool = false
        guard real.hasPrefix(realFolder + "/"), FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory),
              !isDirectory.boolValue else { return nil }
        return path
    }
}
