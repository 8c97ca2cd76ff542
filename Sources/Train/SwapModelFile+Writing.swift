import Foundation
import Neural
import Swap

extension SwapModelFile {
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
        let file = try SafetensorsFile.read(input)
        do { _ = try TrainedSwapModel(file: file) } catch { throw .model(error) }
        if dtype == .f16 {
            let limit = Float(Float16.greatestFiniteMagnitude)
            for (name, entry) in file.tensors where entry.values.contains(where: { abs($0) > limit }) {
                throw .model(.unsupportedModel("tensor '\(name)' has values beyond fp16's range (±\(Int(limit)))"))
            }
        }
        try file.write(to: output, as: dtype)
    }

    /// Copies the file's tensors into `parameters` by name, checking shapes.
    static func load(_ parameters: [Parameter], from file: SafetensorsFile) throws(TrainError) {
        for p in parameters {
            do { p.assign(try tensor(p.name, shape: p.shape, in: file)) } catch { throw .model(error) }
        }
    }
}
