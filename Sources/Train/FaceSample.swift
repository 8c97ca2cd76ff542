import Face
import Foundation
import Imaging
import Stream

/// A training face at model resolution: RGB floats in [0, 1], its mask, and colour statistics.
struct FaceSample: Sendable {
    let resolution: Int
    /// `resolution² × 3`, interleaved RGB.
    let pixels: [Float]
    /// `resolution²`, 1 inside the face hull.
    let mask: [Float]
    /// `resolution²`, 1 over the eyes and the mouth (FaceMesh landmarks; all zero for other landmark sets), for
    /// the loss's eyes-and-mouth priority.
    let priority: [Float]
    /// Per-channel mean and standard deviation in YCbCr inside the mask (for colour transfer).
    let colour: ChannelStatistics

    /// Resamples `crop` to `resolution` (box filter) and rasterises the landmarks' convex hull as the mask
    /// (a centred ellipse when there are fewer than three landmarks).
    init(crop: RGBImage, landmarks: [[Float]], resolution: Int) {
        self.resolution = resolution
        let pixels = crop.boxResampled(to: resolution)
        let scale = Float(resolution) / Float(crop.width)
        let points = landmarks.compactMap { $0.count >= 2 ? SIMD2<Float>($0[0], $0[1]) * scale : nil }
        let mask = points.count >= 3 ? Self.hullMask(points, resolution: resolution) : Self.ellipseMask(resolution: resolution)
        self.pixels = pixels
        self.mask = mask
        priority = points.count == FaceMeshTopology.pointCount ? Self.eyesAndMouthMask(points, resolution: resolution)
            : [Float](repeating: 0, count: resolution * resolution)
        colour = Self.colourStatistics(pixels, mask: mask)
    }

    /// The area of each pixel inside the convex hull of `points` (crop pixels, corners at integers).
    static func hullMask(_ points: [SIMD2<Float>], resolution: Int) -> [Float] {
        // The rasteriser centres pixel (i, j) on (i, j); landmarks put it at (i + 0.5, j + 0.5).
        PolygonRasterizer.fill(ConvexHull.of(points).map { $0 - 0.5 }, width: resolution, height: resolution).values
    }

    /// The union of the eyes' and the outer lips' hulls (FaceMesh indices).
    static func eyesAndMouthMask(_ points: [SIMD2<Float>], resolution: Int) -> [Float] {
        var union = [Float](repeating: 0, count: resolution * resolution)
        for part in [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye, FaceMeshTopology.outerLips] {
            let area = hullMask(part.map { points[$0] }, resolution: resolution)
            for i in union.indices { union[i] = max(union[i], area[i]) }
        }
        return union
    }

    static func ellipseMask(resolution: Int) -> [Float] {
        let c = Float(resolution) / 2
        return (0..<(resolution * resolution)).map { i in
            let dx = (Float(i % resolution) + 0.5 - c) / (0.35 * Float(resolution))
            let dy = (Float(i / resolution) + 0.5 - c) / (0.45 * Float(resolution))
            return dx * dx + dy * dy <= 1 ? 1 : 0
        }
    }
}

/// Both identities' faces, loaded once for a training run.
struct TrainingData: Sendable {
    /// The faces trained on.
    let source: [FaceSample]
    let destination: [FaceSample]
    /// Faces never trained on, for the held-out reconstruction figure (see ``HeldOutFaces``).
    let heldOutSource: [FaceSample]
    let heldOutDestination: [FaceSample]
    let resolution: Int
    /// How both facesets were cut, at the training resolution; nil for faces given in memory.
    let alignment: FaceAlignment?

    /// Loads both facesets; they must have been cut with the same alignment (crop size aside, since crops are
    /// resampled to `resolution`), or the model would learn two different crops.
    init(source: URL, destination: URL, resolution: Int) throws(TrainError) {
        let (source, sourceAlignment) = try Self.load(source, resolution: resolution)
        let (destination, destinationAlignment) = try Self.load(destination, resolution: resolution)
        let differences = sourceAlignment.differences(from: destinationAlignment)
        guard differences.isEmpty else {
            throw .invalidConfiguration("the src and dst facesets were cut differently (dst: "
                + "\(differences.joined(separator: ", "))): extract both with the same alignment")
        }
        (self.source, heldOutSource) = HeldOutFaces.split(source)
        (self.destination, heldOutDestination) = HeldOutFaces.split(destination)
        self.resolution = resolution
        alignment = sourceAlignment
    }

    init(source: [FaceSample], destination: [FaceSample], heldOutSource: [FaceSample] = [],
         heldOutDestination: [FaceSample] = []) {
        self.source = source
        self.destination = destination
        self.heldOutSource = heldOutSource
        self.heldOutDestination = heldOutDestination
        resolution = source[0].resolution
        alignment = nil
    }

    /// Whether both identities have held-out faces.
    var hasHeldOut: Bool { !heldOutSource.isEmpty && !heldOutDestination.isEmpty }

    /// The held-out faces as a data set of their own.
    var heldOut: TrainingData { TrainingData(source: heldOutSource, destination: heldOutDestination) }

    /// The faceset's faces resampled to `resolution`, and its alignment at that resolution.
    static func load(_ directory: URL, resolution: Int) throws(TrainError) -> ([FaceSample], FaceAlignment) {
        let faceset = try Faceset.read(from: directory)
        var samples: [FaceSample] = []
        for face in faceset.faces {
            let image = try faceset.image(of: face, in: directory)
            samples.append(FaceSample(crop: image, landmarks: face.landmarks, resolution: resolution))
        }
        var alignment = faceset.alignment
        alignment.resolution = resolution
        return (samples, alignment)
    }
}

extension FaceSample {
    /// Mean and deviation in YCbCr of the pixels well inside the mask (> 0.5), each counted once; deviations get
    /// 0.001 so a flat face still has a scale.
    static func colourStatistics(_ pixels: [Float], mask: [Float]) -> ChannelStatistics {
        var moments = WeightedMoments()
        for i in 0..<mask.count where mask[i] > 0.5 {
            moments.add(YCbCr.fromRGB(SIMD3(pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2])), weight: 1, full: false)
        }
        guard moments.weight > 0 else { return ChannelStatistics(mean: SIMD3(0.5, 0, 0), deviation: SIMD3(repeating: 0.1)) }
        var statistics = ChannelStatistics(moments)
        statistics.deviation += 1e-3
        return statistics
    }

    /// `pixels` (this face's, or a version of them) recoloured in YCbCr from this face's colour statistics to
    /// `reference`'s (Reinhard transfer), clamped to [0, 1].
    func recolour(_ pixels: inout [Float], like reference: FaceSample) {
        let map = ReinhardMapping(from: colour, to: reference.colour)
        for i in 0..<(pixels.count / 3) {
            let ycc = map(YCbCr.fromRGB(SIMD3(pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2])))
            let rgb = YCbCr.toRGB(ycc).clamped(lowerBound: SIMD3(repeating: 0), upperBound: SIMD3(repeating: 1))
            pixels[i * 3] = rgb.x; pixels[i * 3 + 1] = rgb.y; pixels[i * 3 + 2] = rgb.z
        }
    }
}
