import ArgumentParser

/// `facelive`: a real-time face-swap video filter.
@main
struct Facelive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facelive",
        abstract: "Real-time face-swap video filter: files, streams and webcams in, files, streams and virtual cameras out.",
        subcommands: [Convert.self, Probe.self, Devices.self, Train.self, BenchTrain.self])
}
