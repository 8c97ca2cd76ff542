import Face

/// The settings of a face swap that may change while it runs (the control panel's), named like `run`'s flags.
///
/// `run` validates its flags with ``validate()`` and the control panel validates every change with it, so both
/// refuse the same values with the same message.
public struct LiveSwapSettings: Sendable, Equatable {
    /// Mask erosion in swap-space pixels (negative dilates). Range ``erodeRange``.
    public var erode = 2
    /// Mask feathering: Gaussian σ in swap-space pixels. Range ``blurRange``.
    public var blur: Float = 6.25
    public var colorTransfer = ColorTransfer.rct
    /// Relighting strength (the target's light under the new face's detail), 0 = off. Range ``relightRange``.
    public var relight: Float = 1
    /// Synthetic grain up to the camera's noise on a cleaner new face, 0 = off. Range ``grainRange``.
    public var grain: Float = 1
    public var blend = BlendMode.pyramid
    public var keepGlasses = GlassesMode.auto
    public var keepHair = HairMode.on
    /// Whether tracked hands stay in front of the faces. Turning it on live needs the hand stage, which `run`
    /// builds when it starts with `--occlusion hands` (the default).
    public var occlusion = OcclusionMode.hands
    /// Face opacity. Range ``opacityRange``.
    public var opacity: Float = 1
    public var keepMouth = false
    public var keepEyes = false
    /// Weight of the previous swapped face, 0 = off. Range ``temporalSmoothingRange``.
    public var temporalSmoothing: Float = 0.5
    /// Crop motion (fraction of its size) that restarts temporal smoothing. Range ``temporalResetRange``.
    public var temporalReset: Float = 0.1
    /// Detector score threshold. Range ``thresholdRange``.
    public var threshold: Float = 0.5
    /// Which tracked faces are swapped.
    public var faces = FaceSelection.all
    /// How many faces to process (0 = all). Range ``maxFacesRange``.
    public var maxFaces = 1
    /// Run the detector every N frames. Range ``detectEveryRange``.
    public var detectEvery = 10
    /// Landmark smoothing (One-Euro filter) off.
    public var noSmoothing = false
    /// One-Euro minimum cutoff in Hz. Range ``smoothMinCutoffRange``.
    public var smoothMinCutoff: Float = 1
    /// One-Euro speed coefficient. Range ``smoothBetaRange``.
    public var smoothBeta: Float = 20
    /// Frames pass untouched (the swap is off; faces are still tracked, so turning it back on is immediate).
    public var bypass = false

    public static let erodeRange: ClosedRange<Int> = -100...100
    public static let blurRange: ClosedRange<Float> = 0...50
    public static let opacityRange: ClosedRange<Float> = 0...1
    public static let relightRange: ClosedRange<Float> = 0...1
    public static let grainRange: ClosedRange<Float> = 0...1
    public static let temporalSmoothingRange: ClosedRange<Float> = 0...0.95
    public static let temporalResetRange: ClosedRange<Float> = 0.001...10
    /// Below 0.1 every anchor is a "face" on any picture: thousands of landmark runs per frame.
    public static let thresholdRange: ClosedRange<Float> = 0.1...1
    public static let maxFacesRange: ClosedRange<Int> = 0...1000
    public static let detectEveryRange: ClosedRange<Int> = 1...10_000
    public static let smoothMinCutoffRange: ClosedRange<Float> = 0.001...100
    public static let smoothBetaRange: ClosedRange<Float> = 0...1000

    public init() {}

    /// Throws for the first value out of its range (NaN and infinities included), naming it as the flag does.
    public func validate() throws(LiveSwapSettingsError) {
        try Self.check("erode", erode, Self.erodeRange, unit: " px")
        try Self.check("blur", blur, Self.blurRange, unit: " px")
        try Self.check("opacity", opacity, Self.opacityRange)
        try Self.check("relight", relight, Self.relightRange)
        try Self.check("grain", grain, Self.grainRange)
        try Self.check("temporal-smoothing", temporalSmoothing, Self.temporalSmoothingRange)
        try Self.check("temporal-reset", temporalReset, Self.temporalResetRange)
        try Self.check("threshold", threshold, Self.thresholdRange)
        try Self.check("max-faces", maxFaces, Self.maxFacesRange)
        try Self.check("detect-every", detectEvery, Self.detectEveryRange)
        try Self.check("smooth-min-cutoff", smoothMinCutoff, Self.smoothMinCutoffRange, unit: " Hz")
        try Self.check("smooth-beta", smoothBeta, Self.smoothBetaRange)
        if case .ids(let ids) = faces, ids.isEmpty || ids.contains(where: { $0 < 0 }) {
            throw .invalid(field: "faces", value: faces.description, expected: "'all' or face IDs like 0,2")
        }
    }

    private static func check<T: Comparable>(_ field: String, _ value: T, _ range: ClosedRange<T>, unit: String = "")
        throws(LiveSwapSettingsError) {
        // NaN compares false with everything, so `contains` refuses it too.
        guard range.contains(value) else {
            throw .outOfRange(field: field, value: format(value), range: "\(format(range.lowerBound))\(unit) and \(format(range.upperBound))\(unit)")
        }
    }

    /// `1`, `0.5`, `nan` — short, like the user typed it.
    private static func format<T>(_ value: T) -> String {
        if let float = value as? Float, float.isFinite, float == float.rounded(), abs(float) < 1e15 { return String(Int64(float)) }
        return "\(value)"
    }

    // MARK: - What the stages use

    /// `options` with the merge settings here applied (options not set here are kept).
    public func apply(to options: inout FaceMerger.Options) {
        options.erodePixels = erode
        options.blurSigma = blur
        options.colorTransfer = colorTransfer
        options.opacity = opacity
        options.relighting.strength = relight
        options.grain.strength = grain
        options.blend = blend
        options.keepGlasses = keepGlasses
        options.keepHair = keepHair
        options.keepOriginalMouth = keepMouth
        options.keepOriginalEyes = keepEyes
    }

    /// Temporal smoothing of the swapped faces; nil when off.
    public var temporalSmoothingOptions: TemporalFaceSmoother.Options? {
        temporalSmoothing > 0 ? TemporalFaceSmoother.Options(strength: temporalSmoothing, resetMotion: temporalReset) : nil
    }

    /// `detector` and `tracker` with the detection, selection and landmark-smoothing settings here applied.
    public func apply(to detector: inout FaceDetector.Options, tracker: inout FaceTracker.Options) {
        detector.scoreThreshold = threshold
        tracker.selection = faces
        tracker.maxFaces = maxFaces
        tracker.detectionInterval = detectEvery
        tracker.smoothing.filter.isEnabled = !noSmoothing
        tracker.smoothing.filter.minCutoff = smoothMinCutoff
        tracker.smoothing.filter.beta = smoothBeta
    }
}

/// Whether tracked hands are cut out of the swapped faces (`--occlusion`).
public enum OcclusionMode: String, Sendable, CaseIterable {
    case hands, none
}

/// A setting out of its range, named as `run`'s flag (without dashes) and the control panel's field.
public enum LiveSwapSettingsError: Error, Equatable, CustomStringConvertible {
    case outOfRange(field: String, value: String, range: String)
    case invalid(field: String, value: String, expected: String)

    /// The flag or field name.
    public var field: String {
        switch self {
        case .outOfRange(let field, _, _), .invalid(let field, _, _): field
        }
    }

    public var description: String {
        switch self {
        case .outOfRange(let field, let value, let range): "\(field) must be between \(range) (got \(value))"
        case .invalid(let field, let value, let expected): "\(field) '\(value)' is invalid: expected \(expected)"
        }
    }
}

extension FaceSelection: CustomStringConvertible {
    /// Parses `all` or a comma-separated list of track IDs (`0,2`), as `--faces` takes them.
    public init(parsing text: String) throws(LiveSwapSettingsError) {
        if text == "all" {
            self = .all
            return
        }
        let ids = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.filter { !$0.isWhitespace }) }
        guard !ids.isEmpty, ids.allSatisfy({ ($0 ?? -1) >= 0 }) else {
            throw .invalid(field: "faces", value: text, expected: "'all' or face IDs like 0,2")
        }
        self = .ids(Set(ids.compactMap { $0 }))
    }

    /// `all` or the IDs in order, comma-separated (what ``init(parsing:)`` reads).
    public var description: String {
        switch self {
        case .all: "all"
        case .ids(let ids): ids.sorted().map(String.init).joined(separator: ",")
        }
    }
}
