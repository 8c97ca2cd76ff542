import CFFmpeg

/// One video frame travelling through the pipeline.
///
/// It holds the decoded picture in the source's own pixel format and converts it to packed RGB only when a
/// stage first asks for ``image`` (conversion happens at most once per frame; a pure transcode never converts).
/// Stages run one after another on a frame, so a frame is never touched by two threads at once.
public final class VideoFrame: @unchecked Sendable {
    /// Position in the output sequence (0, 1, 2…).
    public let index: Int
    /// Presentation time in seconds.
    public let time: Double
    /// Presentation timestamp in ``timeBase`` units (what the encoder receives).
    let pts: Int64
    let timeBase: AVRational
    /// The working size: what ``image`` has and what the encoder receives.
    public let size: FrameSize
    /// When the frame left the decoder (or capture device), on the monotonic clock.
    public internal(set) var capturedAt: ContinuousClock.Instant

    private var decoded: AVFrameBox?
    private var rgb: RGBImage?
    private let converter: PixelConverter
    private var attachments: [ObjectIdentifier: Any] = [:]
    /// Time spent in named sub-stages (convert, detect, swap…), in seconds, in the order they ran.
    public private(set) var timings: [(stage: String, seconds: Double)] = []

    init(decoded: AVFrameBox, size: FrameSize, index: Int, pts: Int64, timeBase: AVRational,
         capturedAt: ContinuousClock.Instant, converter: PixelConverter) {
        self.decoded = decoded
        self.size = size
        self.index = index
        self.pts = pts
        self.timeBase = timeBase
        self.time = Double(pts) * timeBase.doubleValue
        self.capturedAt = capturedAt
        self.converter = converter
    }

    /// A frame made from an RGB image (synthetic sources, stills, tests). `fps` sets the time base.
    public init(image: RGBImage, index: Int, fps: Int, converter: PixelConverter = PixelConverter()) {
        self.rgb = image
        self.size = FrameSize(width: image.width, height: image.height)
        self.index = index
        self.pts = Int64(index)
        self.timeBase = AVRational(num: 1, den: Int32(fps))
        self.time = Double(index) / Double(fps)
        self.capturedAt = .now
        self.converter = converter
    }

    /// True once the picture has been converted to RGB (some stage looked at it).
    public var hasImage: Bool { rgb != nil }

    /// The picture as packed RGB at ``size``. Converted from the decoded frame on first access; setting it
    /// replaces the picture the encoder will receive.
    public var image: RGBImage {
        get throws(StreamError) {
            if let rgb { return rgb }
            guard let decoded else { fatalError("VideoFrame has neither a decoded picture nor an image") }
            let converted = try measure("convert") { () throws(StreamError) in try converter.rgbImage(from: decoded, size: size) }
            rgb = converted
            self.decoded = nil
            return converted
        }
    }

    /// Replaces the picture (must keep ``size``).
    public func setImage(_ image: RGBImage) {
        precondition(image.width == size.width && image.height == size.height, "a stage changed the frame size")
        if let old = rgb.take() { converter.buffers.recycle(old.pixels) }
        rgb = image
        decoded = nil
    }

    deinit {
        if let rgb { converter.buffers.recycle(rgb.pixels) }
    }

    /// Edits the picture in place without copying it.
    public func modifyImage<R>(_ body: (inout RGBImage) throws -> R) throws -> R {
        _ = try image
        var local = rgb.take()!
        defer { rgb = local }
        return try body(&local)
    }

    /// The picture as yuv420p at ``size``, ready for an encoder.
    func encoderFrame() throws(StreamError) -> AVFrameBox {
        if let rgb {
            return try measure("convert") { () throws(StreamError) in try converter.yuv420Frame(from: rgb) }
        }
        guard let decoded else { fatalError("VideoFrame has neither a decoded picture nor an image") }
        return try measure("convert") { () throws(StreamError) in try converter.yuv420Frame(from: decoded, size: size) }
    }

    /// Data a stage attaches to the frame for later stages (e.g. the faces found), one value per type.
    public subscript<Value>(attachment type: Value.Type) -> Value? {
        get { attachments[ObjectIdentifier(type)] as? Value }
        set { attachments[ObjectIdentifier(type)] = newValue }
    }

    /// Adds `seconds` to the named sub-stage's time for this frame.
    public func record(_ stage: String, seconds: Double) {
        if let i = timings.firstIndex(where: { $0.stage == stage }) {
            timings[i].seconds += seconds
        } else {
            timings.append((stage, seconds))
        }
    }

    /// Runs `body` and records its wall time under `stage`.
    public func measure<R, E: Error>(_ stage: String, _ body: () throws(E) -> R) throws(E) -> R {
        let start = ContinuousClock.now
        defer { record(stage, seconds: (ContinuousClock.now - start).seconds) }
        return try body()
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
