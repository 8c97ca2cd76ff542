import Face
import Foundation
import Imaging
import Stream

/// Builds a faceset from a video or a folder of images: detect every face, fit its landmarks, align a crop, and
/// keep it unless it is blurred (variance of the Laplacian) or nearly the same as the previous kept crop.
public final class FacesetExtractor {
    public struct Options: Sendable {
        /// How faces are cut out: DeepFaceLab's whole face at 256 px unless told otherwise.
        public var alignment = FaceAlignment.wholeFace(resolution: 256)
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
        aligner = FaceAligner(alignment: options.alignment)
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
            guard let landmarks = landmarker.landmarks(in: image, detected: FaceLandmarker.roi(from: detection)),
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
            let tile = image.boxResampled(to: thumbnail)
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
