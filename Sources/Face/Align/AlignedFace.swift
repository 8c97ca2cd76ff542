import Imaging
import Stream

/// A face cut out of a frame into the aligner's canonical square ("aligned space").
public struct AlignedFace: Sendable, Equatable {
    /// The `resolution`×`resolution` crop.
    public var image: RGBImage
    /// Frame pixels → aligned pixels.
    public var imageToAligned: AffineTransform2D
    /// Aligned pixels → frame pixels (the exact inverse, used for paste-back).
    public var alignedToImage: AffineTransform2D
    /// The 468 landmarks in aligned pixels.
    public var landmarks: [SIMD2<Float>]

    public init(image: RGBImage, imageToAligned: AffineTransform2D, alignedToImage: AffineTransform2D,
                landmarks: [SIMD2<Float>]) {
        self.image = image
        self.imageToAligned = imageToAligned
        self.alignedToImage = alignedToImage
        self.landmarks = landmarks
    }

    /// Side of the square crop in pixels.
    public var resolution: Int { image.width }
}

/// Why a face could not be aligned.
public enum FaceAlignerError: Error, Equatable, CustomStringConvertible {
    case wrongLandmarkCount(Int)
    case degenerateLandmarks
    case invalidAlignment(FaceAlignmentError)

    public var description: String {
        switch self {
        case .wrongLandmarkCount(let n): "expected \(FaceMeshTopology.pointCount) landmarks, got \(n)"
        case .degenerateLandmarks: "landmarks are degenerate (all at one point); cannot fit an alignment"
        case .invalidAlignment(let error): "invalid alignment: \(error)"
        }
    }
}
