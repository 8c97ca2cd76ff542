/// A frame size in pixels, parsed from `WxH`.
public struct FrameSize: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `1280x720` (also `1280X720`, `1280:720`). Both sides must be even numbers from 2 to 16384,
    /// because 4:2:0 video cannot carry odd sizes.
    public init(parsing text: String) throws(StreamError) {
        let parts = text.split(whereSeparator: { $0 == "x" || $0 == "X" || $0 == ":" })
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            throw .invalidSize(text, reason: "expected WIDTHxHEIGHT, e.g. 1280x720")
        }
        guard (2...16384).contains(w), (2...16384).contains(h) else {
            throw .invalidSize(text, reason: "width and height must be between 2 and 16384")
        }
        guard w % 2 == 0, h % 2 == 0 else {
            throw .invalidSize(text, reason: "width and height must be even for 4:2:0 video")
        }
        self.init(width: w, height: h)
    }

    public var description: String { "\(width)x\(height)" }
}
