import CFFmpeg

/// How far a stream's pictures must turn, clockwise, to stand upright: phone videos are stored sideways with a
/// display matrix (`rotate=90`) that players apply. facelive applies it on decoding, so faces are upright for
/// analysis and the output (which carries no matrix) plays the right way up, as `ffmpeg` does by default.
public enum FrameRotation: Int, Sendable, Codable {
    case none = 0, clockwise90 = 90, upsideDown = 180, counterclockwise90 = 270

    /// The rotation a stream's display matrix asks for (flips and odd angles are ignored, as quarter turns are
    /// all phones write).
    init(displayMatrixOf stream: UnsafeMutablePointer<AVStream>) {
        var size = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 9 * 4 else {
            self = .none
            return
        }
        let degrees = data.withMemoryRebound(to: Int32.self, capacity: 9) { -av_display_rotation_get($0) }
        guard degrees.isFinite else {
            self = .none
            return
        }
        let quarterTurns = Int((degrees / 90).rounded())
        self = FrameRotation(rawValue: ((quarterTurns % 4 + 4) % 4) * 90) ?? .none
    }

    /// True when width and height trade places.
    public var swapsAxes: Bool { self == .clockwise90 || self == .counterclockwise90 }

    /// The size of a picture of `size` after the turn.
    func turning(_ size: FrameSize) -> FrameSize {
        swapsAxes ? FrameSize(width: size.height, height: size.width) : size
    }
}
