import ArgumentParser

/// `--morph`: how much of the new identity a DeepFaceLive AMP model paints (`run`, `bench`, `model`).
struct MorphOption: ParsableArguments {
    @Option(help: ArgumentHelp("Morph factor of a .dfm AMP model: how much of the new identity, 0…1 (DeepFaceLive's default 0.75).", valueName: "M"))
    var morph: Float?

    /// Refuses a morph factor out of range or for a model that is not a .dfm (`model` nil: no model given);
    /// `needs` says what the command must be given instead (`--model FILE.dfm`).
    func check(model: String?, needs: String) throws {
        guard let morph else { return }
        guard let model, isDFM(model) else { throw ValidationError("--morph needs \(needs)") }
        try OptionRange.check(morph, "--morph", 0...1)
    }
}
