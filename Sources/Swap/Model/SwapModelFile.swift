import Foundation
import Neural

/// A swap model file: safetensors with every parameter by name and, in `__metadata__`, the configuration
/// (architecture, widths, resolution, alignment, swap direction), so inference needs nothing else.
///
/// This is the reading side; `Train` writes the files (`SwapModelFile.write`, `convert`).
public enum SwapModelFile {
    /// The `format` metadata value that marks a facelive swap model.
    package static let format = "facelive-swap"
    /// The `format_version` metadata value written today.
    package static let version = "1"

    /// The configuration stored in a model file, validated.
    package static func config(of file: SafetensorsFile) throws(SwapModelError) -> SwapModelConfig {
        guard file.metadata["format"] == format, let json = file.metadata["config"] else {
            throw .unsupportedModel("not a facelive swap model (metadata 'format' is not '\(format)')")
        }
        let config = try SwapModelConfig.decode(json: json)
        try config.validate()
        return config
    }

    /// The values of tensor `name`, which must have `shape`.
    package static func tensor(_ name: String, shape: [Int], in file: SafetensorsFile) throws(SwapModelError) -> [Float] {
        guard let entry = file.tensors[name] else { throw .missingTensor(name) }
        guard entry.shape == shape else { throw .tensorShapeMismatch(name: name, expected: shape, found: entry.shape) }
        return entry.values
    }
}
