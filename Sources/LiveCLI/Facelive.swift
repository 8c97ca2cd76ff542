import ArgumentParser
import Foundation
import Neural
import Swap

/// `facelive`: a real-time face-swap video filter.
@main
struct Facelive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facelive",
        abstract: "Real-time face-swap video filter: files, streams and webcams in, files, streams and virtual cameras out.",
        subcommands: [Run.self, Detect.self, Extract.self, Train.self, Model.self, Bench.self, BenchTrain.self, Convert.self, Probe.self, Score.self,
                      Devices.self])

    /// Checks the CPU before anything compiled for AVX2/FMA runs, then parses and runs the command.
    static func main() {
        if let problem = CPUFeatures.check() {
            FileHandle.standardError.write(Data("Error: \(problem)\n".utf8))
            Foundation.exit(1)
        }
        main(nil)
    }
}
