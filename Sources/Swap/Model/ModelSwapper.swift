import Face
import Foundation
import Imaging
import Stream

/// A trained swap model behind the ``FaceSwapper`` seam (`facelive run --model`): each face is aligned exactly as the
/// model's training crops were (the alignment stored in the model file), repainted by the decoder, and
/// handed back in aligned space with the model's mask.
///
/// By default the target's mouth opening (teeth, tongue, the dark of an open mouth) is kept, as the one-shot swap
/// keeps it: a decoder trained for an hour on a CPU draws much the same mouth in every frame, so its lips barely
/// follow the target's (dlib's inner-lip opening correlates 0.52 with the target's on the 60-minute `live` model;
/// 0.97 with the opening kept, the recogniser's verdict unchanged — docs/TRAINING.md, "Mouth motion").
public final class ModelSwapper: FaceSwapper, @unchecked Sendable {
    private let model: TrainedSwapModel
    private let lock = NSLock()
    public let alignment: FaceAlignment?
    /// What the merger shows of the target instead of the decoder's face.
    public let keptParts: FaceParts
    /// A trained decoder's face is already in the target's tones; full relighting would pass on the target's features.
    public var defaultRelighting: Float { Relighting.trainedModelStrength }

    /// Loads the model at `path`; `direction` overrides the swap direction stored in it. `keepsTargetMouth` false
    /// lets the decoder paint the mouth opening too (a model trained long enough to draw the target's mouth shapes).
    public init(contentsOf path: String, direction: SwapDirection? = nil, keepsTargetMouth: Bool = true) throws {
        model = try TrainedSwapModel(contentsOf: URL(fileURLWithPath: path), direction: direction)
        alignment = model.config.alignment
        keptParts = keepsTargetMouth ? [.mouth] : []
    }

    public func swap(_ face: FaceSwapInput) throws -> SwappedFace? {
        guard let aligned = face.aligned, aligned.image.width == model.resolution,
              aligned.image.height == model.resolution else { return nil }
        // The model is not thread-safe; the swap stage calls it from one thread, the lock keeps that a guarantee.
        lock.lock()
        defer { lock.unlock() }
        let n = model.resolution * model.resolution
        let (out, mask) = model.swap { input in
            aligned.image.pixels.withUnsafeBufferPointer { pixels in
                for i in 0..<(n * 3) { input[i] = Float(pixels[i]) * (1 / 255) }
            }
        }
        var image = RGBImage(width: model.resolution, height: model.resolution)
        // NaN-safe: a comparison with NaN is false, so it lands on 0 instead of trapping in UInt8().
        for i in 0..<(n * 3) {
            let v = out[i] * 255 + 0.5
            image.pixels[i] = v >= 255 ? 255 : v > 0 ? UInt8(v) : 0
        }
        let alpha = AlphaMask(width: model.resolution, height: model.resolution, values: Array(mask))
        return SwappedFace(image: image, mask: alpha, toFrame: aligned.alignedToImage, keptParts: keptParts)
    }
}
