import ArgumentParser
import Foundation
import Stream
import Swap
import Train

/// `facelive extract`: writes a faceset (aligned face crops + index.json) from a video or a folder of images.
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detect, align and save every face of a video or image folder as a training faceset.")

    @Option(name: .shortAndLong, help: "A video file or a folder of PNG/JPEG images.")
    var input: String

    @Option(name: .shortAndLong, help: "Faceset folder to write.")
    var output: String

    @OptionGroup(title: "Alignment (default: DeepFaceLab's whole face at 256 px: coverage 2.2, y-offset -0.08)")
    var alignment: AlignmentOptions

    @Option(help: "Use every Nth frame.")
    var every = 1

    @Option(help: "Stop after this many faces.")
    var max: Int?

    @Option(name: .customLong("blur-threshold"), help: "Skip crops whose Laplacian variance is below this.")
    var blurThreshold: Float = 20

    @Option(name: .customLong("contact-sheet"), help: "Also write a PNG grid of the crops.")
    var contactSheet: String?

    func validate() throws {
        try OptionRange.check(every, "--every", 1...100_000)
        if let max { try OptionRange.check(max, "--max", 1...100_000_000) }
        try OptionRange.check(blurThreshold, "--blur-threshold", 0...1_000_000)
    }

    func run() throws {
        FFmpegLog.configure(verbose: false)
        var options = FacesetExtractor.Options()
        options.alignment = try alignment.alignment(default: .wholeFace(resolution: 256))
        options.every = every
        options.maxFaces = max
        options.blurThreshold = blurThreshold
        do {
            let extractor = try FacesetExtractor(options: options)
            let writer = try FacesetWriter(directory: URL(fileURLWithPath: output), alignment: options.alignment)
            try extractor.extract(from: input, into: writer)
            try writer.finish()
            let s = extractor.statistics
            Terminal.printError("\(s.written) faces written to \(output) from \(s.frames) frames (\(s.faces) found, "
                + "\(s.blurred) blurred, \(s.duplicates) near-duplicates skipped)")
            guard s.written > 0 else { throw ExitCode.failure }
            if let contactSheet {
                let sheet = try FacesetExtractor.contactSheet(writer.faceset, in: writer.directory)
                try PNGEncoder.write(sheet, to: contactSheet)
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            Terminal.printError("facelive extract: \(error)")
            throw ExitCode.failure
        }
    }
}
