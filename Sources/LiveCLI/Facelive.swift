import ArgumentParser

@main
struct Facelive: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "facelive")
}
