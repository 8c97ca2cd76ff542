import Face
import Foundation
import Imaging
import Neural
import Stream

/// A DeepFaceLive `.dfm` model behind the ``FaceSwapper`` seam: faces are cut with DeepFaceLab's whole-face
/// alignment at the model's resolution, fed BGR 0…1, and returned in aligned space with the product of the model's
/// two masks (the input face's and the swapped face's), as DeepFaceLive's merger combines them by default.
public final class DFMSwapper: FaceSwapper, @unchecked Sendable {
    public let model: DFMModel
    public let alignment: FaceAlignment?
    /// A trained decoder's face is already in the target's tones; full relighting would pass on the target's features.
    public var defaultRelighting: Float { Relighting.trainedModelStrength }
    private let executor: GraphExecutor
    private let lock = NSLock()

    public init(model: DFMModel) {
        self.model = model
        alignment = FaceAlignment.wholeFace(resolution: model.resolution)  // DeepFaceLive's crop for WF models
        executor = GraphExecutor(graph: model.graph)
    }

    public convenience init(contentsOf path: String, morph: Float? = nil, precision: Precision = .fp32) throws(DFMError) {
        self.init(model: try DFMModel(contentsOf: URL(fileURLWithPath: path), morph: morph, precision: precision))
    }

    public func swap(_ face: FaceSwapInput) throws -> SwappedFace? {
        guard let aligned = face.aligned else { return nil }
        let (image, mask) = swap(aligned: aligned.image)
        return SwappedFace(image: image, mask: mask, toFrame: aligned.alignedToImage)
    }

    /// Runs the model on one aligned face (resized to the model's resolution if needed): the swapped face and its
    /// merge mask, at the model's resolution.
    public func swap(aligned input: RGBImage) -> (face: RGBImage, mask: AlphaMask) {
        let r = model.resolution
        let (rgb, mask) = swapValues(aligned: input)
        var face = RGBImage(width: r, height: r)
        for i in 0..<(r * r * 3) { face.pixels[i] = UInt8(min(max(rgb[i] * 255 + 0.5, 0), 255)) }
        return (face, AlphaMask(width: r, height: r, values: mask))
    }

    /// As ``swap(aligned:)``, unquantised: the face as RGB floats 0…1 (`R·R·3`) and the mask (`R·R`).
    public func swapValues(aligned input: RGBImage) -> (rgb: [Float], mask: [Float]) {
        let r = model.resolution
        let image = input.resized(width: r, height: r)  // bilinear, as DeepFaceLive resizes the aligned face
        // The executor is not thread-safe; the swap stage calls from one thread, the lock keeps that a guarantee.
        lock.lock()
        defer { lock.unlock() }
        executor.withInput(0) { dst in
            image.pixels.withUnsafeBufferPointer { src in
                for p in 0..<(r * r) {  // RGB bytes → BGR 0…1
                    for c in 0..<3 { dst[3 * p + c] = Float(src[3 * p + 2 - c]) * (1 / 255) }
                }
            }
        }
        executor.run()
        var rgb = [Float](repeating: 0, count: r * r * 3)
        executor.withOutput(1) { bgr in
            for p in 0..<(r * r) { for c in 0..<3 { rgb[3 * p + c] = bgr[3 * p + 2 - c] } }
        }
        let dstMask = executor.withOutput(0) { Array($0) }
        let mask = executor.withOutput(2) { celeb in (0..<(r * r)).map { min(max(dstMask[$0] * celeb[$0], 0), 1) } }
        return (rgb, mask)
    }
}
