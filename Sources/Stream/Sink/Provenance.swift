/// The container tags that mark a video as altered by facelive (written unless the user turns them off).
public enum Provenance {
    /// Key of facelive's own tag.
    public static let key = "synthetic_media"
    /// Tags for a face-swapped output.
    public static func tags(detail: String) -> [String: String] {
        [key: "altered by facelive: \(detail)",
         "comment": "This video was altered by facelive (\(detail))."]
    }
}
