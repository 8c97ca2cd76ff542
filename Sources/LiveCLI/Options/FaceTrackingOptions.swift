import ArgumentParser
import Face
import Swap

/// Face detection, landmarking and tracking options (`run`, `bench`).
struct FaceTrackingOptions: ParsableArguments {
    @Option(help: "Folder with the face models (default: FACELIVE_MODELS, then next to the executable, then the built-in ones).")
    var models: String?

    @Option(help: "Detector: short (faces near the camera, webcam framing) or full (small and distant faces).")
    var detector: FaceDetector.Model = .fullRange

    @Option(help: "Detector score threshold (0…1).")
    var threshold: Float = 0.5

    @Option(name: .customLong("detect-every"), help: "Run the detector every N frames (tracking from landmarks in between).")
    var detectEvery = 10

    @Option(name: .customLong("max-faces"), help: "How many faces to process (0 = all; default: 1 for run, all for detect). A face being processed keeps its place while it is tracked (lost for a moment too); another takes it once --sort has put it ahead on every detection for 15 frames.")
    var maxFaces: Int?

    @Option(help: ArgumentHelp("Also detect on N×N (or C×R) overlapping tiles, for small faces in big frames.", valueName: "N|CxR"))
    var tiles: String?

    @Option(help: "Face order, which decides face IDs and which faces --max-faces keeps: largest, center, confidence, left-to-right, right-to-left, top-to-bottom, bottom-to-top.")
    var sort: FaceSortOrder = .largest

    @Option(help: ArgumentHelp("Which tracked faces to swap: all, or track IDs like 0,2.", valueName: "all|IDS"))
    var faces = "all"

    @Flag(name: .customLong("no-smoothing"), help: "Turn off landmark smoothing (One-Euro filter).")
    var noSmoothing = false

    @Option(name: .customLong("smooth-min-cutoff"), help: "Smoothing: minimum cutoff (lower = steadier when still).")
    var smoothMinCutoff: Float?

    @Option(name: .customLong("smooth-beta"), help: "Smoothing: speed coefficient (higher = less lag when moving).")
    var smoothBeta: Float?

    func validate() throws {
        var settings = LiveSwapSettings()
        try apply(to: &settings, defaultMaxFaces: 1)
        try settings.validateAsFlags()
        _ = try tileGrid()
    }

    /// The live settings these flags set (detection threshold, face selection, landmark smoothing).
    func apply(to settings: inout LiveSwapSettings, defaultMaxFaces: Int) throws {
        settings.threshold = threshold
        do { settings.faces = try FaceSelection(parsing: faces) } catch { throw ValidationError("--\(error)") }
        settings.maxFaces = maxFaces ?? defaultMaxFaces
        settings.detectEvery = detectEvery
        settings.noSmoothing = noSmoothing
        if let smoothMinCutoff { settings.smoothMinCutoff = smoothMinCutoff }
        if let smoothBeta { settings.smoothBeta = smoothBeta }
    }

    func tileGrid() throws -> TileGrid? {
        guard let tiles else { return nil }
        let parts = tiles.split(whereSeparator: { $0 == "x" || $0 == "X" }).map { Int($0) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ (1...8).contains($0 ?? 0) }) else {
            throw ValidationError("--tiles takes N or CxR with 1…8 tiles per side, e.g. 3 or 3x2")
        }
        return TileGrid(columns: parts[0]!, rows: parts.last!!)
    }

    var locator: ModelLocator { ModelLocator(directory: models) }

    /// A pipeline with these detection and tracking settings; `defaultMaxFaces` is the command's default for
    /// `--max-faces`.
    func pipeline(defaultMaxFaces: Int) throws -> FaceSwapPipeline {
        var pipeline = FaceSwapPipeline()
        pipeline.locator = locator
        pipeline.detectorModel = detector
        pipeline.detector.tiles = try tileGrid()
        pipeline.tracker.sortOrder = sort
        var settings = pipeline.liveSettings
        try apply(to: &settings, defaultMaxFaces: defaultMaxFaces)
        pipeline.liveSettings = settings
        return pipeline
    }
}

extension FaceDetector.Model: ExpressibleByArgument {}
extension FaceSortOrder: ExpressibleByArgument {}
