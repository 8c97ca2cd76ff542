import Imaging
import Stream

/// Exponential smoothing of swapped faces over time, per track, in swap space (aligned space for trained models),
/// against the frame-to-frame flicker of generated faces.
///
/// Each face is blended with its track's previous smoothed face pixel by pixel, image and mask alike:
/// `smoothed = (1 − strength) · current + strength · previous`, the image weighted by the masks where there are any.
/// Blending in swap space, not in the frame, keeps head motion from smearing: the face sits still in its crop while the
/// crop follows the head. It starts afresh (no blending) for a new track, a track missing on the previous frame, a swap
/// space of another size (the mesh swapper's frame box when the face grows), and when the crop moved in the frame by
/// more than ``Options/resetMotion`` since the previous frame: on fast motion the crop's content changes (blur, turning
/// head), and blending would ghost.
public struct TemporalFaceSmoother: Sendable {
    public struct Options: Sendable, Equatable {
        /// Weight of the previous smoothed face, 0 ..< 1; 0 turns smoothing off, higher is steadier but lags more.
        public var strength: Float
        /// Start afresh when a corner of the crop moved more than this fraction of the crop's size in the frame
        /// since the previous frame (covers translation, scale and rotation alike).
        public var resetMotion: Float

        public init(strength: Float, resetMotion: Float = 0.1) {
            precondition((0..<1).contains(strength), "strength must be in 0 ..< 1")
            self.strength = strength
            self.resetMotion = resetMotion
        }
    }

    /// A track's smoothed face, kept in floats so small steps are not lost to rounding.
    private struct State: Sendable {
        var image: [Float]
        var mask: [Float]?
        var width: Int, height: Int
        var toFrame: AffineTransform2D
    }

    public let options: Options
    private var tracks = TrackMemory<State>()
    private var lag = MeanAccumulator()
    /// Times a continuing track started afresh because its crop moved too much.
    public private(set) var motionResets = 0

    public init(options: Options) {
        self.options = options
    }

    /// Mean absolute difference between the smoothed and the swapper's own faces (0–255, mask-weighted): the price
    /// of smoothing (lag, ghosting). nil before the first face.
    public var meanLag: Double? { lag.mean }

    /// The smoothed version of `face`; faces without a track ID pass through unchanged.
    public mutating func smooth(_ face: SwappedFace, trackID: Int?) -> SwappedFace {
        guard let trackID, options.strength > 0 else { return face }
        var state = State(image: face.image.pixels.map(Float.init), mask: face.mask?.values,
                          width: face.image.width, height: face.image.height, toFrame: face.toFrame)
        guard let previous = tracks[trackID], continues(previous, with: state) else {
            tracks.store(state, for: trackID)
            lag.add(0)
            return face
        }
        let keep = options.strength, take = 1 - keep
        if let previousMask = previous.mask, var mask = state.mask {
            // Colours are blended by their weights (premultiplied): a pixel the swapper left at weight 0 (the frame
            // itself, past a mesh swap's outline or under a cut fringe) does not tint the new face's edge, which the
            // relighting would then take for the face's own skin.
            for i in mask.indices {
                let (a, b) = (take * mask[i], keep * previousMask[i])
                let sum = a + b
                mask[i] = sum
                guard sum > 1e-6 else { continue }
                for c in (3 * i)..<(3 * i + 3) { state.image[c] = (a * state.image[c] + b * previous.image[c]) / sum }
            }
            state.mask = mask
        } else {
            for i in state.image.indices { state.image[i] = take * state.image[i] + keep * previous.image[i] }
        }
        tracks.store(state, for: trackID)

        var smoothed = face
        smoothed.image.pixels = state.image.map { UInt8(min(max($0 + 0.5, 0), 255)) }
        smoothed.mask = state.mask.map { AlphaMask(width: state.width, height: state.height, values: $0) }
        lag.add(smoothed.image.meanAbsoluteDifference(to: face.image, weights: face.mask?.values))
        return smoothed
    }

    /// Ends a frame: tracks that had no face on it are forgotten.
    public mutating func endFrame() {
        tracks.endFrame()
    }

    /// Whether `current` may be blended with `previous`: same swap space size and mask presence, little motion.
    private mutating func continues(_ previous: State, with current: State) -> Bool {
        guard previous.width == current.width, previous.height == current.height,
              (previous.mask == nil) == (current.mask == nil) else { return false }
        let motion = Self.cornerMotion(from: previous.toFrame, to: current.toFrame, width: current.width, height: current.height)
        if motion > options.resetMotion {
            motionResets += 1
            return false
        }
        return true
    }

    /// The largest displacement in the frame of a corner of a `width` × `height` crop between two placements,
    /// as a fraction of the crop's size in the frame.
    static func cornerMotion(from a: AffineTransform2D, to b: AffineTransform2D, width: Int, height: Int) -> Float {
        let w = Float(width), h = Float(height)
        let corners: [SIMD2<Float>] = [[0, 0], [w, 0], [0, h], [w, h]]
        let largest = corners.map { p in
            let d = b.apply(p) - a.apply(p)
            return (d * d).sum().squareRoot()
        }.max()!
        return largest / max(b.scale * (w * h).squareRoot(), .leastNormalMagnitude)
    }
}
