import ArgumentParser
import Face
import Foundation
import Stream
import Swap

/// `facelive detect`: face detection, landmarks and tracking, drawn on the video and/or written as JSON Lines.
struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find, landmark and track faces: draw them on the video (-o) and/or write JSON Lines (--json).",
        discussion: """
            JSON Lines: one object per frame, {"frame", "pts", "faces": [{"id", "box": [x, y, w, h], "score", \
            "keypoints": [[x, y] ×6], "landmarks": [[x, y, z] ×468], "pose": {"yaw", "pitch", "roll"}}]} \
            in frame pixels and degrees. Works on stills too (PNG/JPEG in, PNG out).
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Faces") var tracking: FaceTrackingOptions

    @Option(name: [.customShort("o"), .long], help: "Annotated output: a video file, a PNG, a URL…")
    var output: String?

    @Option(help: ArgumentHelp("Write the faces of every frame as JSON Lines to FILE ('-' for stdout).", valueName: "FILE"))
    var json: String?

    @Flag(help: "Show FFmpeg's own warnings.")
    var verbose = false

    func validate() throws {
        guard output != nil || json != nil else { throw ValidationError("nothing to do: give -o OUT and/or --json FILE") }
    }

    func run() throws {
        var job = PipelineJob(input: input, output: output.map { OutputDestination(output: $0) }, json: false, verbose: verbose)
        let logFile = json.flatMap { $0 == "-" ? nil : StagedFile($0) }
        if let logFile { job.otherOutputs = [NamedPath("--json", logFile.destination)] }
        try job.checkOutputs()
        let analysis = try tracking.pipeline(defaultMaxFaces: 0).analysisStage()
        // The log is opened once the job has checked its outputs and opened the input; it replaces an existing
        // file only when the job succeeds.
        var log: ByteWriter?
        defer {
            if logFile != nil { try? log?.close() }
            logFile?.discard()
        }
        try job.run { _ in
            if json == "-" {
                log = .standardOutput
            } else if let logFile {
                log = try ByteWriter(creating: logFile.path)
            }
            return [analysis, FaceAnnotationStage(draw: output != nil, log: log)]
        }
        if let logFile {
            try log?.close()
            log = nil
            try logFile.commit()
        }
    }
}
