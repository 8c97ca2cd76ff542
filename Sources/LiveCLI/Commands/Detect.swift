import ArgumentParser
import Face
import Foundation
import Stream
import Swap

/// `facelive detect`: face detection, landmarks and tracking, drawn on the video and/or written as JSON Lines.
struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find, landmark and track faces and hands: draw them on the video (-o) and/or write JSON Lines (--json).",
        discussion: """
            JSON Lines: one object per frame, {"frame", "pts", "faces": [{"id", "box": [x, y, w, h], "score", \
            "keypoints": [[x, y] ×6], "landmarks": [[x, y, z] ×468], "pose": {"yaw", "pitch", "roll"}}], \
            "hands": [{"id", "box": [x, y, w, h], "score", "handedness": "left"|"right", \
            "landmarks": [[x, y, z] ×21]}]} in frame pixels and degrees. Works on stills too (PNG/JPEG in, PNG out).
            --preview writes the first frame with a face beside each face's aligned crop, cut with the alignment flags \
            as 'run' would cut it.
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Faces") var tracking: FaceTrackingOptions
    @OptionGroup(title: "Alignment (--preview)") var alignment: AlignmentOptions

    @Option(name: [.customShort("o"), .long], help: "Annotated output: a video file, a PNG, a URL…")
    var output: String?

    @Option(help: ArgumentHelp("Write the faces of every frame as JSON Lines to FILE ('-' for stdout).", valueName: "FILE"))
    var json: String?

    @Option(help: ArgumentHelp("Write the first frame with a face and each face's aligned crop here.", valueName: "PNG"))
    var preview: String?

    @Flag(name: .customLong("no-hands"), help: "Do not look for hands.")
    var noHands = false

    @Flag(help: "Show FFmpeg's own warnings.")
    var verbose = false

    func validate() throws {
        guard output != nil || json != nil || preview != nil else {
            throw ValidationError("nothing to do: give -o OUT, --json FILE and/or --preview PNG")
        }
        if preview == nil, try alignment.alignment(default: FaceAlignment()) != FaceAlignment() {
            throw ValidationError("the alignment flags shape the --preview crops: give --preview PNG")
        }
    }

    func run() throws {
        var job = PipelineJob(input: input, output: output.map { OutputDestination(output: $0) }, json: false, verbose: verbose)
        let logFile = json.flatMap { $0 == "-" ? nil : StagedFile($0) }
        job.otherOutputs = (logFile.map { [NamedPath("--json", $0.destination)] } ?? [])
            + (preview.map { [NamedPath("--preview", $0)] } ?? [])
        try job.checkOutputs()
        var pipeline = try tracking.pipeline(defaultMaxFaces: 0)
        pipeline.alignment = try alignment.alignment(default: FaceAlignment())
        pipeline.previewPath = preview
        var stages: [any FrameProcessor] = [try pipeline.analysisStage()]
        if !noHands { stages.append(try pipeline.handStage(area: .wholeFrame(faceScale: 3.5), shape: nil)) }
        let previewStage = pipeline.alignmentPreviewStage()
        if let previewStage { stages.append(previewStage) }
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
            return stages + [FaceAnnotationStage(draw: output != nil, log: log)]
        }
        if let logFile {
            try log?.close()
            log = nil
            try logFile.commit()
        }
        if let preview, previewStage?.written != true {
            Terminal.printError("note: no face was found, so --preview \(preview) was not written")
        }
    }
}
