import Face
import Foundation
import Stream

/// A faceset: a folder of aligned face crops (PNG) plus `index.json` describing each crop.
///
/// `index.json`: `{"version": 1, "alignment": {FaceAlignment}, "resolution": R, "faces": [{"file": "000000.png",
/// "landmarks": [[x, y], …], "matrix": [a, b, tx, c, d, ty], "source": "clip.mp4", "frame": 12}, …]}` — landmarks in
/// crop pixels (468 FaceMesh points or a subset), `matrix` maps source-image pixels to crop pixels. `alignment` is how
/// the crops were cut; training stores it in the model so `run --model` cuts faces the same way. Indexes written
/// before it was recorded hold only `coverage` (their crops had the whole-face y offset, −0.08).
public struct Faceset: Codable, Sendable, Equatable {
    /// One aligned crop.
    public struct Face: Codable, Sendable, Equatable {
        /// PNG file name inside the faceset folder.
        public var file: String
        /// Landmarks in crop pixels, `[x, y]` each; may be empty.
        public var landmarks: [[Float]]
        /// Row-major 2×3 affine from the source image to the crop.
        public var matrix: [Double]
        /// The video or image the face came from, and its frame index.
        public var source: String
        public var frame: Int

        public init(file: String, landmarks: [[Float]], matrix: [Double], source: String, frame: Int) {
            self.file = file
            self.landmarks = landmarks
            self.matrix = matrix
            self.source = source
            self.frame = frame
        }
    }

    public static let indexFileName = "index.json"
    public static let currentVersion = 1

    public var version: Int
    /// How the crops were cut (their side in pixels is `alignment.resolution`).
    public var alignment: FaceAlignment
    public var faces: [Face]

    /// Crop side in pixels.
    public var resolution: Int { alignment.resolution }

    public init(alignment: FaceAlignment, faces: [Face] = []) {
        version = Self.currentVersion
        self.alignment = alignment
        self.faces = faces
    }

    private enum CodingKeys: String, CodingKey { case version, alignment, resolution, coverage, faces }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        faces = try c.decode([Face].self, forKey: .faces)
        if let alignment = try c.decodeIfPresent(FaceAlignment.self, forKey: .alignment) {
            self.alignment = alignment
        } else {
            alignment = .wholeFace(resolution: try c.decode(Int.self, forKey: .resolution))
            alignment.coverage = try c.decode(Float.self, forKey: .coverage)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(alignment, forKey: .alignment)
        try c.encode(resolution, forKey: .resolution)
        try c.encode(faces, forKey: .faces)
    }

    /// Reads `directory/index.json`.
    public static func read(from directory: URL) throws(TrainError) -> Faceset {
        let index = directory.appendingPathComponent(indexFileName)
        let data: Data
        do { data = try Data(contentsOf: index) } catch {
            throw .malformedFaceset(path: directory.path, reason: "no readable \(indexFileName)")
        }
        let faceset: Faceset
        do { faceset = try JSONDecoder().decode(Faceset.self, from: data) } catch {
            throw .malformedFaceset(path: directory.path, reason: "\(indexFileName) does not parse")
        }
        guard faceset.version == currentVersion else {
            throw .malformedFaceset(path: directory.path, reason: "version \(faceset.version) (expected \(currentVersion))")
        }
        guard !faceset.faces.isEmpty else { throw .emptyFaceset(path: directory.path) }
        return faceset
    }

    /// Writes `directory/index.json`.
    public func writeIndex(to directory: URL) throws(TrainError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { try encoder.encode(self).write(to: directory.appendingPathComponent(Self.indexFileName), options: .atomic) } catch {
            throw .writeFailed(path: directory.appendingPathComponent(Self.indexFileName).path, reason: Self.reason(error))
        }
    }

    /// The POSIX reason behind a Foundation write error ("No space left on device"), not "error 512".
    static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedFailureReason ?? error.localizedDescription
    }

    /// Decodes one crop.
    public func image(of face: Face, in directory: URL) throws(TrainError) -> RGBImage {
        let path = directory.appendingPathComponent(face.file).path
        do {
            guard let frame = try MediaSource(path).nextFrame() else {
                throw TrainError.malformedFaceset(path: directory.path, reason: "\(face.file) has no image")
            }
            return try frame.image
        } catch let error as TrainError {
            throw error
        } catch {
            throw .malformedFaceset(path: directory.path, reason: "cannot decode \(face.file): \(error)")
        }
    }
}

/// Writes a faceset: crops as numbered PNGs, then the index.
public final class FacesetWriter {
    public let directory: URL
    public private(set) var faceset: Faceset

    /// Creates `directory` if needed. An existing faceset cut the same way is appended to (its faces stay and
    /// new crops take new names); a faceset cut differently, or a folder holding anything else, is refused, so
    /// nothing in it is overwritten or orphaned.
    public init(directory: URL, alignment: FaceAlignment) throws(TrainError) {
        self.directory = directory
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        if contents.contains(Faceset.indexFileName) {
            let existing = try Faceset.read(from: directory)
            guard existing.alignment == alignment else {
                throw .facesetConflict(path: directory.path, reason: "it was cut differently ("
                    + alignment.differences(from: existing.alignment).joined(separator: ", ")
                    + "); extract into another folder, or with the same alignment to add to it")
            }
            faceset = existing
        } else if contents.contains(where: { !$0.hasPrefix(".") }) {
            throw .facesetConflict(path: directory.path, reason: "the folder is not empty and holds no faceset; choose a new or empty folder")
        } else {
            faceset = Faceset(alignment: alignment)
        }
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw .malformedFaceset(path: directory.path, reason: "cannot create the folder")
        }
    }

    /// Faces already in the faceset when this writer opened it (appending).
    public var existingCount: Int { faceset.faces.count - added }
    private var added = 0

    public var count: Int { faceset.faces.count }

    /// Adds one `resolution²` crop.
    public func add(_ crop: RGBImage, landmarks: [[Float]], matrix: [Double], source: String, frame: Int) throws(TrainError) {
        precondition(crop.width == faceset.resolution && crop.height == faceset.resolution, "crop size differs from the faceset's")
        var number = faceset.faces.count
        var file = String(format: "%06d.png", number)
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
            number += 1
            file = String(format: "%06d.png", number)
        }
        do { try PNGEncoder.write(crop, to: directory.appendingPathComponent(file).path) } catch {
            throw .writeFailed(path: directory.appendingPathComponent(file).path, reason: Self.reason(error))
        }
        faceset.faces.append(Faceset.Face(file: file, landmarks: landmarks, matrix: matrix, source: source, frame: frame))
        added += 1
    }

    /// Writes the index; call once all faces are added.
    public func finish() throws(TrainError) {
        try faceset.writeIndex(to: directory)
    }

    private static func reason(_ error: StreamError) -> String {
        if case .cannotOpenOutput(_, let reason) = error { return reason }
        return error.description
    }
}
