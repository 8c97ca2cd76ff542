import ArgumentParser
import Foundation
import Neural
import Stream
import Swap
import Train

/// `facelive model`: what a trained model is, and a half-precision copy of it for deployment.
struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a trained model's configuration; with -o, write a copy (--half: fp16 weights, half the size).",
        discussion: "fp16 copies run the same network (weights widen to fp32 on load); resume training from the fp32 file.")

    @Argument(help: "Model file written by 'facelive train' (.safetensors).")
    var model: String

    @Option(name: .shortAndLong, help: "Write a copy of the model here.")
    var output: String?

    @Flag(help: "Store the copy's weights as fp16 (half-precision floats).")
    var half = false

    func validate() throws {
        if half && output == nil { throw ValidationError("--half needs -o OUTPUT") }
        if let output { try OutputConflicts.check(outputs: [NamedPath("-o", output)], inputs: [NamedPath("MODEL", model)]) }
    }

    func run() throws {
        let input = URL(fileURLWithPath: model)
        let loaded = try TrainedSwapModel(contentsOf: input)
        let c = loaded.config
        try Terminal.printOutput(String(format: "%@: %@ %d px, ae %d e %d d %d dm %d%@, %.2f GFLOP/face, direction %@, coverage %.2f",
                     model, c.architecture.rawValue, c.resolution, c.aeDims, c.eDims, c.dDims, c.dMaskDims,
                     c.residualBlocks ? " +res" : "", Double(loaded.flopsPerFace) / 1e9, c.direction.rawValue,
                     c.alignment.coverage))
        guard let output else { return }
        let dtype: SafetensorsFile.DType = half ? .f16 : .f32
        try SwapModelFile.convert(input, to: URL(fileURLWithPath: output), dtype: dtype)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        try Terminal.printOutput(String(format: "wrote %@ (%@, %.1f MB)", output, dtype.rawValue, Double(bytes) / 1e6))
    }
}
