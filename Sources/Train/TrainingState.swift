import Foundation
import Neural

/// The sidecar that makes `--resume` exact: Adam's moments and step, the iteration, the seed and the settings
/// that shape the random stream — stored as safetensors next to the model.
enum TrainingState {
    static func write(optimizer: AdamOptimizer, iteration: Int, options: TrainingOptions) throws(TrainError) {
        var file = SafetensorsFile(metadata: [
            "format": "facelive-swap-training-state", "iteration": String(iteration), "adam_step": String(optimizer.step),
            "seed": String(options.seed), "batch": String(options.batch), "learning_rate": String(options.learningRate),
            "config": options.config.json(),
        ])
        for (i, p) in optimizer.parameters.enumerated() {
            file.tensors["adam.m." + p.name] = .init(shape: p.shape, values: optimizer.firstMoments[i].array)
            file.tensors["adam.v." + p.name] = .init(shape: p.shape, values: optimizer.secondMoments[i].array)
        }
        try file.write(to: options.statePath)
    }

    /// Restores the optimiser and returns the iteration; checks the run's shape-defining settings match.
    static func restore(into optimizer: AdamOptimizer, options: TrainingOptions) throws(TrainError) -> Int {
        let file = try SafetensorsFile.read(options.statePath)
        guard file.metadata["format"] == "facelive-swap-training-state",
              let iteration = file.metadata["iteration"].flatMap(Int.init),
              let step = file.metadata["adam_step"].flatMap(Int.init)
        else { throw .resumeMismatch("\(options.statePath.lastPathComponent) is not a training state") }
        if let batch = file.metadata["batch"].flatMap(Int.init), batch != options.batch {
            throw .resumeMismatch("the run used --batch \(batch)")
        }
        for (i, p) in optimizer.parameters.enumerated() {
            guard let m = file.tensors["adam.m." + p.name], let v = file.tensors["adam.v." + p.name],
                  m.values.count == p.count, v.values.count == p.count
            else { throw .resumeMismatch("optimiser state lacks \(p.name)") }
            optimizer.firstMoments[i].baseAddress.update(from: m.values, count: p.count)
            optimizer.secondMoments[i].baseAddress.update(from: v.values, count: p.count)
        }
        optimizer.step = step
        return iteration
    }

    /// The seed the interrupted run used (a resumed run must keep it).
    static func seed(at url: URL) -> UInt64? {
        (try? SafetensorsFile(contentsOf: url))?.metadata["seed"].flatMap(UInt64.init)
    }
}
