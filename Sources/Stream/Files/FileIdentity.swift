import Glibc

/// A file's identity on disk — device and inode — so that every name for one file (`x.mp4`, `./out/../x.mp4`,
/// a symlink, a hard link) is recognised as the same file.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file `path` names (symlinks followed); nil when nothing is there.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
