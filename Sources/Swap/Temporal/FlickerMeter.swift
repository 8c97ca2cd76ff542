import Imaging
import Stream

/// Measures flicker: the mean absolute frame-to-frame change of each track's swapped face in swap space (aligned
/// space for trained models), on the 0–255 scale, weighted by the face mask; and the same for the mask.
///
/// Only consecutive frames of one track with swap spaces of one size count as a pair. In aligned space the head's
/// motion is compensated, so what remains is expression, pose, lighting — and the model's own flicker.
public struct FlickerMeter: Sendable {
    private var previous = TrackMemory<SwappedFace>()
    private var image = MeanAccumulator()
    private var mask = MeanAccumulator()

    public init() {}

    /// Frame pairs measured.
    public var pairs: Int { image.count }
    /// Mean absolute change of the face pixels between consecutive frames (0–255); nil before the first pair.
    public var meanChange: Double? { image.mean }
    /// Mean absolute change of the mask between consecutive frames (0–255 like the pixels); nil without masks.
    public var meanMaskChange: Double? { mask.mean }

    /// Takes one face of the current frame.
    public mutating func observe(_ face: SwappedFace, trackID: Int?) {
        guard let trackID else { return }
        defer { previous.store(face, for: trackID) }
        guard let last = previous[trackID], last.image.width == face.image.width,
              last.image.height == face.image.height else { return }
        // Weighted by both frames' masks, so a pixel entering or leaving the face counts half.
        let weights = face.mask.flatMap { now in last.mask.map { zip(now.values, $0.values).map { ($0 + $1) / 2 } } }
        image.add(face.image.meanAbsoluteDifference(to: last.image, weights: weights))
        if let now = face.mask, let before = last.mask {
            mask.add(Double(CropMetrics.meanAbsoluteDifference(now.values, before.values)) * 255)
        }
    }

    /// Ends a frame: tracks that had no face on it are forgotten (their next face starts a new run of pairs).
    public mutating func endFrame() {
        previous.endFrame()
    }
}
