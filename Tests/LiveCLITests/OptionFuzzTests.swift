import Foundation
import Synchronization
import Testing

/// Every value-taking option of every command (as the parser itself lists them) gets NaN, ±inf, 0, −1, huge and
/// tiny values on a short generated input. Each run must end within a time bound, with exit 0 or one `Error:` line
/// (exit 1 or 64) — never a signal — and a failed run must leave no file behind.
///
/// CI runs a fixed sample of `FACELIVE_FUZZ_CASES` cases (default 40, `all` for every one, ~1250);
/// `FACELIVE_FUZZ_SEED` picks another sample.
@Suite("Option fuzzer")
struct OptionFuzzTests {
    static let values = ["nan", "inf", "-inf", "0", "-1", "1e300", "1e-300", "99999999999"]
    static let clip = "lavfi:testsrc2=size=64x48:rate=10:duration=0.3"
    /// A run taking longer than this is a hang (debug build, loaded machine, models loaded per run).
    static let timeLimit: Duration = .seconds(60)

    /// How each command is invoked before the fuzzed option is added (replacing its value if the base has it).
    /// Long option names, as the parser lists them, so a fuzzed option replaces the base's value.
    static let baseInvocations: [String: [String]] = [
        "run": ["--input", clip, "--output", "out.mp4"],
        "convert": ["--input", clip, "--output", "out.mp4"],
        "detect": ["--input", clip, "--json", "faces.jsonl"],
        "bench": ["--input", clip, "--duration", "0.2"],
        "extract": ["--input", RunCommandTests.astronaut, "--output", "set"],
        "train": ["--src", "nosrc", "--dst", "nodst", "--output", "m.safetensors"],
        "model": ["none.safetensors"],
        "bench-train": [],
        "probe": [clip],
    ]

    struct Case: CustomStringConvertible, Sendable {
        var command: String
        var option: String
        var value: String
        var arguments: [String] {
            var base = OptionFuzzTests.baseInvocations[command] ?? []
            if let i = base.firstIndex(of: option), i + 1 < base.count {
                base[i + 1] = value
                return [command] + base
            }
            return [command] + base + ["\(option)=\(value)"]
        }
        var description: String { arguments.joined(separator: " ") }
    }

    /// Every command's value-taking options, from the parser's own description of the CLI.
    static func allCases() throws -> [Case] {
        let result = try CLIRunner.run(["--experimental-dump-help"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        var cases: [Case] = []
        for sub in command["subcommands"] as? [[String: Any]] ?? [] {
            guard let name = sub["commandName"] as? String, baseInvocations[name] != nil else { continue }
            for argument in sub["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String == "option" {
                guard let names = argument["names"] as? [[String: Any]],
                      let preferred = names.first(where: { $0["kind"] as? String == "long" }) ?? names.first,
                      let optionName = preferred["name"] as? String, optionName != "help" else { continue }
                let option = (preferred["kind"] as? String == "long" ? "--" : "-") + optionName
                for value in values { cases.append(Case(command: name, option: option, value: value)) }
            }
        }
        return cases
    }

    /// The sample this run checks.
    static func selectedCases() throws -> [Case] {
        let all = try allCases()
        let environment = ProcessInfo.processInfo.environment
        if environment["FACELIVE_FUZZ_CASES"] == "all" { return all }
        let count = Int(environment["FACELIVE_FUZZ_CASES"] ?? "") ?? 40
        var generator = SplitMix(seed: UInt64(environment["FACELIVE_FUZZ_SEED"] ?? "") ?? 11)
        return Array(all.shuffled(using: &generator).prefix(count))
    }

    struct Outcome: Sendable {
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var stderr: String
        var leftovers: [String]
    }

    /// Runs one case in a fresh folder (its working directory) with a watchdog.
    static func run(_ fuzzCase: Case) throws -> Outcome {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = fuzzCase.arguments
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let finished = DispatchSemaphore(value: 0)
        let timedOut = Atomic(false)
        DispatchQueue.global().async {
            if finished.wait(timeout: .now() + .seconds(Int(timeLimit.components.seconds))) == .timedOut {
                timedOut.store(true, ordering: .relaxed)
                kill(process.processIdentifier, SIGKILL)
            }
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        finished.signal()
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       timedOut: timedOut.load(ordering: .relaxed), stderr: stderr, leftovers: leftovers)
    }

    @Test("every option, absurd numbers: a clean end in time, one error line, no stray output")
    func fuzzOptions() throws {
        let cases = try Self.selectedCases()
        #expect(cases.count > 0)
        let outcomes = Mutex([(Case, Outcome)]())
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < cases.count else { return }
                if let outcome = try? Self.run(cases[i]) { outcomes.withLock { $0.append((cases[i], outcome)) } }
            }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == cases.count, "every case ran")
        for (fuzzCase, outcome) in results {
            #expect(!outcome.timedOut, "hung: \(fuzzCase)")
            #expect(!outcome.signalled, "killed by signal \(outcome.status): \(fuzzCase)\n\(outcome.stderr.prefix(400))")
            guard !outcome.timedOut, !outcome.signalled else { continue }
            #expect([0, 1, 64].contains(outcome.status), "exit \(outcome.status): \(fuzzCase)")
            #expect(!outcome.stderr.contains("Fatal error"), "trap: \(fuzzCase)\n\(outcome.stderr.prefix(400))")
            if outcome.status != 0 {
                let errors = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
                #expect(errors.count == 1, "one error line: \(fuzzCase)\n\(outcome.stderr.prefix(400))")
                #expect(outcome.leftovers.isEmpty, "a failed run left \(outcome.leftovers): \(fuzzCase)")
            }
        }
    }
}

/// A small seeded generator, so the CI sample is the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
