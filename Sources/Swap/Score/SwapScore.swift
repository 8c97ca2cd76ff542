/// How a swapped video compares with its original, figure by figure (see docs/QUALITY.md for how each is computed
/// and what is good). nil = could not be measured (e.g. no face on both).
public struct SwapScore: Sendable, Codable, Equatable {
    /// Frames read (pairs of original and output frames).
    public var frames: Int
    /// Frames with a face on the original and a replaced region around it.
    public var scoredFrames: Int
    /// Gradient across the border of the replaced region, output ÷ original (1 = no edge added).
    public var seamRatio: Double?
    /// ΔE between skin just inside and just outside the border, output minus original (0 = no colour step added).
    public var colourExcess: Double?
    /// Share of the original's thin dark detail (glasses frames, brows, stubble) in and around the replaced region
    /// that the output lost, 0…1.
    public var detailsLost: Double?
    /// Fine skin texture (grain, pores, freckles) well inside the replaced region, output ÷ original (1 = as crisp
    /// as the camera's own skin; above: sharper or grainier, below: smoother).
    public var textureRatio: Double?
    /// Mean head-pose difference (yaw, pitch, roll averaged, degrees) between output and original.
    public var poseDifference: Double?
    /// Correlation of mouth opening, output vs original, over the frames with a face on both.
    public var mouthCorrelation: Double?
    /// Gain of mouth opening: σ of the output's over σ of the original's, signed by their correlation (1 = lips
    /// move as much).
    public var mouthGain: Double?
    /// Mean frame-to-frame change in the replaced region, output ÷ original (1 = no flicker added).
    public var flickerRatio: Double?

    public init(frames: Int, scoredFrames: Int) {
        self.frames = frames
        self.scoredFrames = scoredFrames
    }

    /// One figure with its value, what is good, and whether it is met.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var value: Double?
        public var unit: String
        public var goal: String
        public var passed: Bool?
    }

    /// The figures with their goals (the limits issue 13 sets, or the measured floor of good swaps).
    public var rows: [Row] {
        func row(_ name: String, _ value: Double?, _ unit: String, _ goal: String, _ ok: (Double) -> Bool) -> Row {
            Row(name: name, value: value, unit: unit, goal: goal, passed: value.map(ok))
        }
        return [
            row("seam ratio", seamRatio, "×", "≤ 1.03") { $0 <= 1.03 },
            row("colour excess", colourExcess, "ΔE", "≤ 1") { $0 <= 1 },
            row("details lost", detailsLost, "", "≤ 0.5") { $0 <= 0.5 },
            row("texture ratio", textureRatio, "×", "0.7…1.4") { (0.7...1.4).contains($0) },
            row("pose difference", poseDifference, "°", "≤ 2") { $0 <= 2 },
            row("mouth correlation", mouthCorrelation, "", "≥ 0.8") { $0 >= 0.8 },
            row("mouth gain", mouthGain, "", "≥ 0.9") { $0 >= 0.9 },
            row("flicker ratio", flickerRatio, "×", "≤ 1.2") { $0 <= 1.2 },
        ]
    }
}
