/// A processing stage: looks at or changes frames between source and sink (face detection, swapping…).
///
/// A pipeline runs each processor on its own thread, one frame at a time, in order, so a processor may keep
/// state across frames (tracks, filters) without locks.
public protocol FrameProcessor: AnyObject {
    /// Short name used in timing reports (`swap`, `detect`…).
    var name: String { get }
    /// Processes one frame in place.
    func process(_ frame: VideoFrame) throws
    /// Figures the stage measured over the whole run (e.g. `flicker`), read once after the last frame and put in
    /// ``PipelineReport/measurements`` under ``name``. Empty by default.
    var measurements: [String: Double] { get }
}

extension FrameProcessor {
    public var measurements: [String: Double] { [:] }
}

/// A processor made from a closure, for small stages and tests.
public final class ClosureProcessor: FrameProcessor {
    public let name: String
    private let body: (VideoFrame) throws -> Void

    public init(name: String, _ body: @escaping (VideoFrame) throws -> Void) {
        self.name = name
        self.body = body
    }

    public func process(_ frame: VideoFrame) throws { try body(frame) }
}
