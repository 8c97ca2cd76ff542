import ArgumentParser
import Face
import Swap

/// Face detection, landmarking and tracking options (`run`, `bench`).
struct FaceTrackingOptions: ParsableArguments {
    @Option(help: "Folder with the face models (default: FACELIVE_MODELS, then next to the executable, then the built-in ones).")
    var models: String?

    @Option(help: "Detector: short (faces near the camera, webcam framing) or full (small and distant faces).")
    var detector: FaceDetector.Model = .fullRange

    @Option(help: "Detector score threshold (0.1…1).")
    var threshold: Float = 0.5

    @Option(name: .customLong("detect-every"), help: "Run the detector every N frames (tracking from landmarks in between).")
    var detectEvery = 10

    @Option(name: .customLong("max-faces"), help: "How many faces to process (0 = all; default: 1 for run, all for detect).")
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
        // Below 0.1 every anchor is a "face" on any picture: thousands of landmark runs per frame.
        try OptionRange.check(threshold, "--threshold", 0.1...1)
        try OptionRange.check(detectEvery, "--detect-every", 1...10_000)
        if let maxFaces { try OptionRange.check(maxFaces, "--max-faces", 0...1000) }
        if let smoothMinCutoff { try OptionRange.check(smoothMinCutoff, "--smooth-min-cutoff", 0.001...100, unit: " Hz") }
        if let smoothBeta { try OptionRange.check(smoothBeta, "--smooth-beta", 0...1000) }
        _ = try selection()
        _ = try tileGrid()
    }

    func selection() throws -> FaceSelection {
        if faces == "all" { return .all }
        let ids = faces.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, ids.allSatisfy({ ($0 ?? -1) >= 0 }) else {
            throw ValidationError("--faces takes 'all' or a list of face IDs like 0,2")
        }
        return .ids(Set(ids.compactMap { $0 }))
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
        pipeline.detector.scoreThreshold = threshold
        pipeline.detector.tiles = try tileGrid()
        pipeline.tracker.detectionInterval = detectEvery
        pipeline.tracker.maxFaces = maxFaces ?? defaultMaxFaces
        pipeline.tracker.sortOrder = sort
        pipeline.tracker.selection = try selection()
        pipeline.tracker.smoothing.filter.isEnabled = !noSmoothing
        if let smoothMinCutoff { pipeline.tracker.smoothing.filter.minCutoff = smoothMinCutoff }
        if let smoothBeta { pipeline.tracker.smoothing.filter.beta = smoothBeta }
        return pipeline
    }
}

extension FaceDetector.Model: ExpressibleByArgument {}
extension FaceSortOrder: ExpressibleByArgument {}
