import ArgumentParser
import Face
import Foundation
import Stream
import Swap

/// `facelive score`: how a swapped video compares with its original (seam, colour, detail, pose, mouth, flicker).
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a swapped video against its original: seam, colour step, lost detail, pose, mouth motion, flicker.",
        discussion: """
            Both inputs must have the same frame size and frame count (e.g. the input and output of 'facelive run'); \
            the largest face of the original is scored. How each figure is computed and what is good: docs/QUALITY.md.
            """)

    @Option(name: [.customShort("i"), .long], help: "The swapped video (or still).")
    var input: String

    @Option(help: "The original video (or still) the swap was made from.")
    var reference: String

    @Option(name: .customLong("max-frames"), help: "Stop after this many frames.")
    var maxFrames: Int?

    @Option(help: "Folder with the face models (default: FACELIVE_MODELS, then next to the executable, then the built-in ones).")
    var models: String?

    @Flag(help: "Print the figures as one JSON object on stdout.")
    var json = false

    func validate() throws {
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1") }
    }

    func run() throws {
        let locator = ModelLocator(directory: models)
        let finder = try LandmarkFinder(locator: locator)
        let original = try MediaSource(reference), output = try MediaSource(input)
        var scorer = SwapScorer()
        var index = 0
        while maxFrames.map({ index < $0 }) ?? true {
            let a = try original.nextFrame(), b = try output.nextFrame()
            guard let a, let b else {
                if (a == nil) != (b == nil) {
                    Terminal.printError("warning: \(a == nil ? reference : input) ended first; scored \(index) frames")
                }
                break
            }
            let (imageA, imageB) = (try a.image, try b.image)
            guard imageA.width == imageB.width, imageA.height == imageB.height else {
                throw ValidationError("frame sizes differ: \(input) is \(imageB.width)×\(imageB.height), "
                                      + "\(reference) is \(imageA.width)×\(imageA.height)")
            }
            let landmarksA = finder.track(in: imageA)
            let landmarksB = landmarksA.flatMap { finder.refine(in: imageB, near: $0) }
            scorer.add(original: imageA, output: imageB, originalLandmarks: landmarksA, outputLandmarks: landmarksB)
            index += 1
        }
        guard index > 0 else { throw ValidationError("no frames in \(input) or \(reference)") }
        let score = scorer.score
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(score), as: UTF8.self))
        } else {
            print(ScoreTable(score).text)
        }
    }
}

/// The score as a short text table with a verdict per figure.
struct ScoreTable {
    let text: String

    init(_ score: SwapScore) {
        var lines = ["frames: \(score.frames), scored: \(score.scoredFrames)",
                     "figure             value     goal     verdict"]
        for row in score.rows {
            let value = row.value.map { String(format: "%.3f%@", $0, row.unit.isEmpty ? "" : " " + row.unit) } ?? "–"
            let verdict = row.passed.map { $0 ? "ok" : "poor" } ?? "not measured"
            lines.append(row.name.padding(toLength: 19, withPad: " ", startingAt: 0)
                         + value.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + row.goal.padding(toLength: 9, withPad: " ", startingAt: 0) + verdict)
        }
        text = lines.joined(separator: "\n")
    }
}

/// Landmarks of the largest face, followed from frame to frame (detector when lost, the landmarks' own ROI otherwise).
final class LandmarkFinder {
    private let detector: FaceDetector
    private let landmarker: FaceLandmarker
    private var last: FaceLandmarks?

    init(locator: ModelLocator) throws {
        detector = try FaceDetector(model: .fullRange, locator: locator)
        landmarker = try FaceLandmarker(locator: locator)
    }

    /// The face on the next frame of one video.
    func track(in image: RGBImage) -> FaceLandmarks? {
        if let last, let next = refine(in: image, near: last) {
            self.last = next
            return next
        }
        last = detector.detect(in: image).first
            .flatMap { landmarker.landmarks(in: image, detected: FaceLandmarker.roi(from: $0)) }
            .flatMap { refine(in: image, near: $0) }
        return last
    }

    /// The face near `landmarks` (another video's face on the same frame, or this one's last).
    func refine(in image: RGBImage, near landmarks: FaceLandmarks) -> FaceLandmarks? {
        landmarker.landmarks(in: image, roi: FaceLandmarker.roi(from: landmarks))
    }
}
