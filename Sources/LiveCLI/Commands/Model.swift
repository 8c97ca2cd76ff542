import ArgumentParser
import Foundation
import Imaging
import Neural
import Stream
import Swap
import Train

/// `facelive model`: what a model is (facelive safetensors or DeepFaceLive .dfm), a half-precision copy, or one
/// aligned face run through it.
struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model (facelive .safetensors or DeepFaceLive .dfm); write an fp16 copy; or swap one aligned face.",
        discussion: """
            fp16 copies run the same network (weights widen to fp32 on load); resume training from the fp32 file.
            --apply runs the model on an aligned face image (resized to the model's resolution) and writes the swapped \
            face to -o (and the merge mask to --mask-out), to check a model by eye.
            """)

    @Argument(help: "Model file: written by 'facelive train' (.safetensors) or a DeepFaceLive model (.dfm, ONNX).")
    var model: String

    @Option(name: .shortAndLong, help: "Write a copy of the model here; with --apply, the swapped face (PNG).")
    var output: String?

    @Flag(help: "Store the copy's weights as fp16 (half-precision floats).")
    var half = false

    @Option(help: ArgumentHelp("Run the model on this aligned face image.", valueName: "PNG"))
    var apply: String?

    @Option(name: .customLong("mask-out"), help: ArgumentHelp("With --apply: write the model's merge mask here.", valueName: "PNG"))
    var maskOut: String?

    @OptionGroup var morph: MorphOption

    @Option(help: ArgumentHelp("With --apply on a .dfm: fp32, or bf16 products with fp32 sums (CPUs with AVX512_BF16).", valueName: "P"))
    var precision: Precision = .fp32

    @Option(help: ArgumentHelp("Write a facelive model as a DeepFaceLive model (.dfm, ONNX opset 13).", valueName: "DFM"))
    var export: String?

    @Option(name: .customLong("swap-direction"), help: "With --export: dst_to_src (the model's default) or src_to_dst.")
    var swapDirection: SwapDirection?

    func validate() throws {
        if half && output == nil { throw ValidationError("--half needs -o OUTPUT") }
        if apply != nil && output == nil { throw ValidationError("--apply needs -o OUTPUT.png") }
        if apply != nil && half { throw ValidationError("--half is for copies, not --apply") }
        if maskOut != nil && apply == nil { throw ValidationError("--mask-out needs --apply") }
        if isDFM(model) && output != nil && apply == nil { throw ValidationError("copies (-o) are for facelive models; a .dfm runs as it is") }
        if export != nil && (isDFM(model) || output != nil || apply != nil) {
            throw ValidationError("--export takes a facelive model (.safetensors) and no -o/--apply")
        }
        if swapDirection != nil && export == nil { throw ValidationError("--swap-direction needs --export") }
        try morph.check(model: model, needs: "a .dfm MODEL")
        if precision != .fp32 && (!isDFM(model) || apply == nil) { throw ValidationError("--precision needs a .dfm MODEL and --apply") }
        if let output { try OutputConflicts.check(outputs: [NamedPath("-o", output)], inputs: [NamedPath("MODEL", model)]) }
    }

    func run() throws {
        if let export {
            let bytes = try DFMExport.export(URL(fileURLWithPath: model), direction: swapDirection)
            do { try Data(bytes).write(to: URL(fileURLWithPath: export), options: .atomic) } catch {
                throw ValidationError("cannot write \(export): \(error.localizedDescription)")
            }
            try Terminal.printOutput(String(format: "wrote %@ (DeepFaceLive model, %.1f MB)", export, Double(bytes.count) / 1e6))
        } else if let apply {
            try applyModel(to: apply)
        } else if isDFM(model) {
            try describeDFM()
        } else {
            try describeAndCopy()
        }
    }

    private func describeAndCopy() throws {
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

    private func describeDFM() throws(DFMError) {
        let dfm = try DFMModel(contentsOf: URL(fileURLWithPath: model), morph: morph.morph)
        let g = dfm.graph
        let r = dfm.resolution
        print("\(model): DeepFaceLive model (ONNX opset \(dfm.onnxOpset)), \(r)×\(r) whole face, "
              + (dfm.hasMorph ? String(format: "AMP, morph %.2f", dfm.morph ?? 0) : "no morph input"))
        print("  inputs:  " + zip(dfm.inputNames, g.inputShapes).map { "\($0) \($1)" }.joined(separator: ", ")
              + (dfm.hasMorph ? ", \(dfm.inputNames.last ?? "") bound at load" : ""))
        print("  outputs: " + zip(dfm.outputNames, g.outputShapes).map { "\($0) \($1)" }.joined(separator: ", "))
        let ops = dfm.operatorCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        print("  ONNX operators (\(dfm.operatorCounts.values.reduce(0, +))): " + ops.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let kernels = g.kernelCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        print("  runtime kernels (\(g.kernelCount)): " + kernels.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print(String(format: "  %.2f GFLOP per face", Double(g.flopsPerRun) / 1e9))
    }

    /// Runs the model on the aligned face at `path`; `-o`/`--mask-out` ending in `.npy` get the unquantised floats
    /// (face RGB 0…1 `[R, R, 3]`, mask `[R, R]`), for comparisons with other runtimes.
    private func applyModel(to path: String) throws {
        guard let frame = try MediaSource(path).nextFrame() else { throw ValidationError("no image in \(path)") }
        let aligned = try frame.image
        let r: Int, rgb: [Float], mask: [Float]
        if isDFM(model) {
            let swapper = DFMSwapper(model: try DFMModel(contentsOf: URL(fileURLWithPath: model), morph: morph.morph,
                                                         precision: precision))
            r = swapper.model.resolution
            (rgb, mask) = swapper.swapValues(aligned: aligned)
        } else {
            let trained = try TrainedSwapModel(contentsOf: URL(fileURLWithPath: model))
            r = trained.resolution
            (rgb, mask) = trained.swap(aligned.resized(width: r, height: r).pixels.map { Float($0) * (1 / 255) })
        }
        func write(_ values: [Float], channels: Int, to file: String) throws {
            if file.lowercased().hasSuffix(".npy") {
                let array = NumpyArray(shape: channels == 3 ? [r, r, 3] : [r, r], values: values)
                try array.npyData.write(to: URL(fileURLWithPath: file))
                return
            }
            var image = RGBImage(width: r, height: r)
            for p in 0..<(r * r) {
                for c in 0..<3 { image.pixels[3 * p + c] = UInt8(min(max(values[channels * p + (channels == 3 ? c : 0)] * 255 + 0.5, 0), 255)) }
            }
            try PNGEncoder.write(image, to: file)
        }
        try write(rgb, channels: 3, to: output!)
        var written = "wrote \(output!) (\(r)×\(r))"
        if let maskOut {
            try write(mask, channels: 1, to: maskOut)
            written += ", mask \(maskOut)"
        }
        print(written)
    }
}
