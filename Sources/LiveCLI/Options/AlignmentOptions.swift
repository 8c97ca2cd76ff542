import ArgumentParser
import Face

/// How faces are cut into the aligned square (`run`, `bench`, `extract`), named after DeepFaceLive's face aligner.
/// Every flag is optional so that a flag the user gave can be told from a default: a trained model fixes its own
/// alignment, and a given flag that contradicts it is refused.
struct AlignmentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Face coverage of the aligned crop (2.2 = whole face), \(FaceAlignment.coverageRange).",
                               valueName: "C"))
    var coverage: Float?

    @Option(help: ArgumentHelp("Aligned crop side in pixels, \(FaceAlignment.resolutionRange).", valueName: "PX"))
    var resolution: Int?

    @Option(name: .customLong("x-offset"), help: ArgumentHelp(
        "Aligned crop horizontal offset in face sizes, \(FaceAlignment.offsetRange).", valueName: "X"))
    var xOffset: Float?

    @Option(name: .customLong("y-offset"), help: ArgumentHelp(
        "Aligned crop vertical offset in face sizes (negative: up), \(FaceAlignment.offsetRange).", valueName: "Y"))
    var yOffset: Float?

    @Flag(name: .customLong("head-mode"), help: "Align the whole head (larger crop, centred higher).")
    var headMode = false

    @Flag(name: .customLong("freeze-roll"), help: "Keep the aligned crop upright (no roll).")
    var freezeRoll = false

    @Flag(name: .customLong("fit-moving-parts"), help: "Fit mouth, brows and jaw too when aligning (default: only stable points).")
    var fitMovingParts = false

    func validate() throws {
        _ = try alignment(default: FaceAlignment())
    }

    /// `base` with every flag given here applied, validated.
    func alignment(default base: FaceAlignment) throws -> FaceAlignment {
        var a = base
        if let coverage { a.coverage = coverage }
        if let resolution { a.resolution = resolution }
        if let xOffset { a.xOffset = xOffset }
        if let yOffset { a.yOffset = yOffset }
        if headMode { a.headMode = true }
        if freezeRoll { a.freezeRoll = true }
        if fitMovingParts { a.excludeMovingParts = false }
        do { try a.validate() } catch { throw ValidationError("--\(error)") }
        return a
    }

    /// The alignment a swapper fixed (a trained model's), after checking that no flag given here contradicts it.
    func checked(against fixed: FaceAlignment, by what: String) throws -> FaceAlignment {
        let differences = fixed.differences(from: try alignment(default: fixed))
        guard differences.isEmpty else {
            throw ValidationError("\(differences.joined(separator: ", ")): \(what) crops faces as it was trained "
                + "(coverage \(fixed.coverage), resolution \(fixed.resolution), y-offset \(fixed.yOffset)); "
                + "leave the alignment flags out")
        }
        return fixed
    }
}
