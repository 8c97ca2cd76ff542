import Foundation
import Neural

/// Inference with a trained swap model: an aligned face crop in, the face repainted with the other identity and its
/// mask out, at the model's resolution.
///
/// The model file is compiled at load into a ``Graph`` — the same kernels and executor as the TFLite networks — so
/// ``swap(_:)`` allocates nothing. Not thread-safe: use one instance per thread (or share ``graph`` and give each
/// thread its own ``GraphExecutor``).
public final class TrainedSwapModel {
    public let config: SwapModelConfig
    /// Which identity it paints (the file's direction unless overridden).
    public let direction: SwapDirection
    /// The compiled swap path: input the face `[1, res, res, 3]`, outputs the face and the mask `[1, res, res, 1]`.
    public let graph: Graph
    private let executor: GraphExecutor

    /// Loads and compiles `url`; `direction` overrides the swap direction stored in the file.
    public convenience init(contentsOf url: URL, direction: SwapDirection? = nil) throws(SwapModelError) {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch { throw .file(error) }
        try self.init(file: file, direction: direction)
    }

    /// Compiles a model file already in memory.
    package init(file: SafetensorsFile, direction: SwapDirection? = nil) throws(SwapModelError) {
        config = try SwapModelFile.config(of: file)
        self.direction = direction ?? config.direction
        var compiler = SwapModelCompiler(file: file, config: config)
        graph = try compiler.compile(direction: self.direction)
        executor = GraphExecutor(graph: graph)
        try checkWeights(in: file)
        try checkOutputs()
    }

    /// Weights a trained model has are far below this; a file with larger ones (or NaN) would only paint noise.
    static let weightLimit: Float = 1e4

    /// Refuses non-finite or absurd weights, naming the tensor.
    private func checkWeights(in file: SafetensorsFile) throws(SwapModelError) {
        for (name, entry) in file.tensors.sorted(by: { $0.key < $1.key }) {
            if let bad = entry.values.first(where: { !($0.magnitude <= Self.weightLimit) }) {
                throw .unsupportedModel("weight \(bad) in '\(name)' (outside ±\(Self.weightLimit); a broken or diverged training?)")
            }
        }
    }

    /// Refuses a model whose output on a probe face (a smooth grey-to-skin gradient) is not finite: better a clear
    /// error at load than a run that silently swaps nothing.
    private func checkOutputs() throws(SwapModelError) {
        let r = config.resolution
        var probe = [Float](repeating: 0, count: r * r * 3)
        for y in 0..<r {
            for x in 0..<r {
                let i = (y * r + x) * 3, t = Float(x + y) / Float(2 * r)
                probe[i] = 0.45 + 0.4 * t
                probe[i + 1] = 0.35 + 0.3 * t
                probe[i + 2] = 0.3 + 0.25 * t
            }
        }
        let out = probe.withUnsafeBufferPointer { swap($0.baseAddress!) }
        guard out.face.allSatisfy({ $0.isFinite }), out.mask.allSatisfy({ $0.isFinite }) else {
            throw .unsupportedModel("its output on a probe face is not finite (NaN or infinite): the weights are broken")
        }
    }

    /// Side of the square face crop.
    public var resolution: Int { config.resolution }

    /// Floating-point operations per face.
    public var flopsPerFace: Int { SwapNetworkLayout(config: config).flopsPerFace(direction: direction) }

    /// Swaps one face: `face` is `resolution² × 3` RGB floats in [0, 1] (row-major, interleaved). The results are
    /// the model's own buffers (`resolution² × 3` face, `resolution²` mask), valid until the next call.
    public func swap(_ face: UnsafePointer<Float>) -> (face: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<Float>) {
        swap { $0.baseAddress!.update(from: face, count: $0.count) }
    }

    /// Swaps the face `fill` writes into the network's input (`resolution² × 3` RGB floats in [0, 1]); saves a copy
    /// when the caller converts from another format anyway. Results as for ``swap(_:)-(UnsafePointer<Float>)``.
    public func swap(filling fill: (UnsafeMutableBufferPointer<Float>) -> Void)
        -> (face: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<Float>) {
        executor.withInput(0, fill)
        executor.run()
        // The executor's arena outlives the call; the pointers stay valid until the next run.
        return (executor.withOutput(0) { $0 }, executor.withOutput(1) { $0 })
    }

    /// Convenience: copies in and out.
    public func swap(_ face: [Float]) -> (face: [Float], mask: [Float]) {
        precondition(face.count == config.resolution * config.resolution * 3, "face must be resolution² × 3 floats")
        let result = face.withUnsafeBufferPointer { swap($0.baseAddress!) }
        return (Array(result.face), Array(result.mask))
    }
}
