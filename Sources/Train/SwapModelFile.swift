import Foundation

/// A swap model file: safetensors with every parameter by name and, in `__metadata__`, the configuration
/// (architecture, widths, resolution, alignment, swap direction), so inference needs nothing else.
public enum SwapModelFile {
    static let format = "facelive-swap"
    static let version = "1"

    /// The safetensors contents for `parameters` under `config`.
    static func contents(config: SwapModelConfig, parameters: [Parameter]) -> SafetensorsFile {
        var file = SafetensorsFile(metadata: [
            "format": format, "format_version": version, "config": config.json(),
            // Redundant plain keys for people inspecting the header.
            "architecture": config.architecture.rawValue, "resolution": String(config.resolution),
            "coverage": String(config.alignment.coverage), "direction": config.direction.rawValue,
        ])
        for p in parameters { file.tensors[p.name] = .init(shape: p.shape, values: p.values) }
        return file
    }

    /// Writes the model (fp32 keeps training exact on resume; fp16 halves the size for deployment).
    static func write(config: SwapModelConfig, parameters: [Parameter], to url: URL,
                      dtype: SafetensorsFile.DType = .f32) throws(TrainError) {
        try contents(config: config, parameters: parameters).write(to: url, as: dtype)
    }

    /// Rewrites the model at `input` to `output` with every tensor stored as `dtype`: fp16 halves the file for
    /// deployment (weights widen back to fp32 on load; keep the fp32 file to resume training). The model is loaded
    /// first, so a file that would not run is refused rather than copied.
    public static func convert(_ input: URL, to output: URL, dtype: SafetensorsFile.DType) throws(TrainError) {
        let file = try SafetensorsFile(contentsOf: input)
        _ = try TrainedSwapModel(file: file)
        if dtype == .f16 {
            let limit = Float(Float16.greatestFiniteMagnitude)
            for (name, entry) in file.tensors where entry.values.contains(where: { abs($0) > limit }) {
                throw .unsupportedModel("tensor '\(name)' has values beyond fp16's range (±\(Int(limit)))")
            }
        }
        try file.write(to: output, as: dtype)
    }

    /// The configuration stored in a model file.
    static func config(of file: SafetensorsFile) throws(TrainError) -> SwapModelConfig {
        guard file.metadata["format"] == format, let json = file.metadata["config"] else {
            throw .unsupportedModel("not a facelive swap model (metadata 'format' is not '\(format)')")
        }
        let config = try SwapModelConfig.decode(json: json)
        try config.validate()
        return config
    }

    /// Copies the file's tensors into `parameters` by name, checking shapes.
    static func load(_ parameters: [Parameter], from file: SafetensorsFile, prefix: String = "") throws(TrainError) {
        for p in parameters {
            guard let entry = file.tensors[prefix + p.name] else { throw .missingTensor(prefix + p.name) }
            guard entry.shape == p.shape else { throw .tensorShapeMismatch(name: p.name, expected: p.shape, found: entry.shape) }
            p.assign(entry.values)
        }
    }
}
