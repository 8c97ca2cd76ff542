import ArgumentParser
import Foundation
import Neural
import Stream
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
    /// Errors are one line on stderr (no usage screen after a bad value): exit 64 for a bad invocation, 1 for
    /// a failed job.
    static func main() {
        if let problem = CPUFeatures.check() {
            Terminal.printError("Error: \(problem)")
            Foundation.exit(1)
        }
        HeapPolicy.configure()
        FFmpegLog.configure(verbose: false)  // commands with --verbose raise it; nothing leaks before that
        signal(SIGPIPE, SIG_IGN)  // a closed stdout is an error the writer reports, not a silent death
        let arguments = CommandLineArguments.joiningNegativeValues(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }  // --help, --version
            let text = message(for: error)
            if !text.isEmpty { Terminal.printError(text.hasPrefix("Error: ") ? text : "Error: " + text) }
            Foundation.exit(code.rawValue)
        }
    }
}
