import Foundation
import Stream

/// Builds a faceset from a video or a folder of images: detect every face, fit its landmarks, align a crop, and
/// keep it unless it is blurred (variance of the Laplacian) or nearly the same as the previous kept crop.
public final class FacesetExtractor {
    public struct Options: Sendable {
        /// Crop side in pixels.
        public var resolution = 256
        /// Crop side over face size (the aligner's coverage).
        public var coverage: Float = 2.2
        /// Vertical crop offset in face sizes (negative: up), as DeepFaceLive's whole-face models use.
        public var yOffset: Float = -0.08
        /// Use every Nth frame.
        public var every = 1
        /// Stop after this many crops.
        public var maxFaces: Int?
        /// Crops whose Laplacian variance (grey 0…255, at 128 px) is below this are skipped as blurred.
        public var blurThreshold: Float = 20
        /// Crops whose 16×16 grey thumbnail differs from the previous kept one by less than this mean absolute
        /// value (0…255) are skipped as near-duplicates.
        public var duplicateThreshold: Float = 2.5

        public init() {}
    }

    /// What happened to the frames and faces.
    public struct Statistics: Sendable {
        public var frames = 0
        public var faces = 0
        public var written = 0
        public var blurred = 0
        public var duplicates = 0
    }

    public let options: Options
    private let detector: FaceDetector
    private let landmarker: FaceLandmarker
    private let aligner: FaceAligner
    public private(set) var statistics = Statistics()
    private var lastThumbnail: [Float]?

    public init(options: Options) throws {
        self.options = options
        detector = try FaceDetector(model: .fullRange)
        landmarker = try FaceLandmarker()
        var alignment = FaceAligner.Options()
        alignment.resolution = options.resolution
        alignment.coverage = options.coverage
        alignment.yOffset = options.yOffset
        aligner = FaceAligner(options: alignment)
    }

    public var isFull: Bool { options.maxFaces.map { statistics.written >= $0 } ?? false }

    /// Extracts from `input` (a video file or a folder of PNG/JPEG images) into `writer`.
    public func extract(from input: String, into writer: FacesetWriter) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw TrainError.unreadableFile(path: input, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: input).sorted()
                .filter { ["png", "jpg", "jpeg"].contains(($0 as NSString).pathExtension.lowercased()) }
            guard !names.isEmpty else { throw TrainError.unreadableFile(path: input, reason: "no PNG or JPEG images in the folder") }
            for (index, name) in names.enumerated() where index % options.every == 0 && !isFull {
                let path = (input as NSString).appendingPathComponent(name)
                guard let frame = try MediaSource(path).nextFrame() else { continue }
                try process(try frame.image, source: name, frame: 0, into: writer)
            }
        } else {
            let source = try MediaSource(input)
            var index = 0
            while !isFull, let frame = try source.nextFrame() {
                if index % options.every == 0 {
                    try process(try frame.image, source: (input as NSString).lastPathComponent, frame: index, into: writer)
                }
                index += 1
            }
        }
    }

    /// Aligns and (unless blurred or duplicate) writes every face of one frame.
    public func process(_ image: RGBImage, source: String, frame: Int, into writer: FacesetWriter) throws {
        statistics.frames += 1
        for detection in detector.detect(in: image) where !isFull {
            guard let landmarks = landmarker.landmarks(in: image, roi: FaceLandmarker.roi(from: detection)),
                  let aligned = try? aligner.align(image, landmarks: landmarks)
            else { continue }
            statistics.faces += 1
            let grey = CropMetrics.grey(aligned.image, size: 128)
            if CropMetrics.laplacianVariance(grey, size: 128) < options.blurThreshold {
                statistics.blurred += 1
                continue
            }
            let thumbnail = CropMetrics.downsample(grey, from: 128, to: 16)
            if let last = lastThumbnail, CropMetrics.meanAbsoluteDifference(last, thumbnail) < options.duplicateThreshold {
                statistics.duplicates += 1
                continue
            }
            lastThumbnail = thumbnail
            let m = aligned.imageToAligned
            try writer.add(aligned.image, landmarks: aligned.landmarks.map { [$0.x, $0.y] },
                           matrix: [m.a, m.b, m.tx, m.c, m.d, m.ty].map(Double.init), source: source, frame: frame)
            statistics.written += 1
        }
    }

    /// A grid of the faceset's crops (up to `limit`) at `thumbnail` px.
    public static func contactSheet(_ faceset: Faceset, in directory: URL, thumbnail: Int = 96, columns: Int = 10,
                                    limit: Int = 100) throws -> RGBImage {
        let faces = Array(faceset.faces.prefix(limit))
        let rows = max(1, (faces.count + columns - 1) / columns)
        var sheet = RGBImage(width: thumbnail * columns, height: thumbnail * rows)
        for (i, face) in faces.enumerated() {
            let image = try faceset.image(of: face, in: directory)
            let tile = FaceSample.resample(image, to: thumbnail)
            let ox = (i % columns) * thumbnail, oy = (i / columns) * thumbnail
            for y in 0..<thumbnail {
                for x in 0..<thumbnail {
                    for c in 0..<3 {
                        sheet.pixels[((oy + y) * sheet.width + ox + x) * 3 + c] = UInt8(max(0, min(255, tile[(y * thumbnail + x) * 3 + c] * 255)))
                    }
                }
            }
        }
        return sheet
    }
}

/// Sharpness and similarity measures of crops.
enum CropMetrics {
    /// Luma (0…255) resampled to `size²`.
    static func grey(_ image: RGBImage, size: Int) -> [Float] {
        let rgb = FaceSample.resample(image, to: size)
        return (0..<(size * size)).map { 255 * (0.299 * rgb[$0 * 3] + 0.587 * rgb[$0 * 3 + 1] + 0.114 * rgb[$0 * 3 + 2]) }
    }

    /// Variance of the 4-neighbour Laplacian: low for blurred images.
    static func laplacianVariance(_ grey: [Float], size: Int) -> Float {
        var sum = 0.0, squares = 0.0, count = 0.0
        for y in 1..<(size - 1) {
            for x in 1..<(size - 1) {
                let i = y * size + x
                let l = Double(grey[i - 1] + grey[i + 1] + grey[i - size] + grey[i + size] - 4 * grey[i])
                sum += l; squares += l * l; count += 1
            }
        }
        let mean = sum / count
        return Float(squares / count - mean * mean)
    }

    static func downsample(_ grey: [Float], from size: Int, to target: Int) -> [Float] {
        let f = size / target
        return (0..<(target * target)).map { i in
            let tx = i % target, ty = i / target
            var s: Float = 0
            for y in 0..<f { for x in 0..<f { s += grey[(ty * f + y) * size + tx * f + x] } }
            return s / Float(f * f)
        }
    }

    static func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
    }
}
