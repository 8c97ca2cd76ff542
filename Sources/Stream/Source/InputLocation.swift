/// Where an input comes from, decided from the text the user typed.
public enum InputLocation: Sendable, Equatable {
    /// A local file.
    case file(String)
    /// Standard input (`-` or `pipe:`).
    case standardInput
    /// A V4L2 capture device (`/dev/videoN`).
    case device(String)
    /// A libavfilter source graph (`lavfi:testsrc2=size=1280x720:rate=30`).
    case lavfi(String)
    /// A URL FFmpeg understands (`udp://`, `rtsp://`, `http://`…).
    case url(String)

    public init(_ text: String) {
        if text == "-" || text == "pipe:" || text == "pipe:0" {
            self = .standardInput
        } else if text.hasPrefix("lavfi:") {
            self = .lavfi(String(text.dropFirst("lavfi:".count)))
        } else if text.hasPrefix("/dev/video") || text.hasPrefix("v4l2:") {
            self = .device(text.hasPrefix("v4l2:") ? String(text.dropFirst("v4l2:".count)) : text)
        } else if let scheme = text.range(of: "://"), !text[..<scheme.lowerBound].contains("/") {
            self = .url(text)
        } else {
            self = .file(text)
        }
    }

    /// Live inputs deliver frames in real time: devices and network streams (not http files).
    public var isLive: Bool {
        switch self {
        case .device: return true
        case .url(let url):
            let scheme = url.prefix { $0 != ":" }.lowercased()
            return ["udp", "rtp", "rtsp", "rtmp", "rtmps", "srt", "tcp"].contains(scheme)
        case .file, .standardInput, .lavfi: return false
        }
    }

    /// The URL handed to FFmpeg and the input format to force, if any.
    var ffmpegURL: (url: String, format: String?) {
        switch self {
        case .file(let path): return (path, nil)
        case .standardInput: return ("pipe:0", nil)
        case .device(let path): return (path, "v4l2")
        case .lavfi(let graph): return (graph, "lavfi")
        case .url(let url): return (url, nil)
        }
    }
}
