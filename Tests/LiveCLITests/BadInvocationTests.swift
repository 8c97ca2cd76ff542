import Foundation
import Stream
import Testing

/// What a careless or hostile user types: every case ends in one line on stderr and a non-zero exit — never a
/// trap, a hang, or a file destroyed.
@Suite("Bad invocations: one line, no crash, nothing destroyed")
struct BadInvocationTests {
    static let clip = "lavfi:testsrc2=size=160x120:rate=25:duration=0.4"

    /// Runs `command` through bash (for pipes and closed descriptors).
    static func shell(_ command: String) throws -> CLIRunner.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.environment = ["F": CLIRunner.binary.path, "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return CLIRunner.Result(status: process.terminationStatus, stdout: "", stderr: stderr)
    }

    @Test("numbers that once crashed or hung are refused with their range", arguments: [
        (["run", "--erode", "1000000000"], "--erode must be between -100 px and 100 px"),
        (["run", "--smooth-beta", "nan"], "--smooth-beta must be between 0 and 1000"),
        (["run", "--smooth-beta", "-1"], "--smooth-beta must be between 0 and 1000 (got -1)"),
        (["detect", "--smooth-min-cutoff", "nan"], "--smooth-min-cutoff must be between"),
        (["run", "--blur", "1e9"], "--blur must be between 0 px and 50 px"),
        (["run", "--threads", "100000"], "--threads must be between 0 and 256"),
        (["run", "--max-faces", "-1"], "--max-faces must be between 0 and 1000 (got -1)"),
        (["run", "--fps", "1e-300"], "--fps must be between 0.01 and 1000"),
        (["bench", "--duration", "nan"], "--duration must be between"),
        (["bench", "--duration", "inf"], "--duration must be between"),
        (["bench", "--duration", "1e300"], "--duration must be between"),
        (["run", "--identity-shape", "nan"], "--identity-shape must be between 0 and 1"),
        (["run", "--identity-shape", "inf"], "--identity-shape must be between 0 and 1"),
        (["run", "--identity-shape", "1.5"], "--identity-shape must be between 0 and 1 (got 1.5)"),
        (["run", "--identity-shape", "-0.1"], "--identity-shape must be between 0 and 1"),
        (["run", "--max-face-width", "30"], "--max-face-width must be between 64 px and 4096 px (got 30)"),
        (["run", "--max-face-width", "-5"], "--max-face-width must be between 64 px and 4096 px (got -5)"),
        (["run", "--max-face-width", "nan"], "The value 'nan' is invalid for '--max-face-width <PX>'"),
        (["run", "--max-face-width", "300", "--model", "/nonexistent.dfm"], "--max-face-width is for the one-shot swap"),
    ])
    func refusedNumbers(_ arguments: [String], _ expected: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("o.mp4").path
        let result = try CLIRunner.run([arguments[0], "-i", Self.clip, "-o", out] + arguments.dropFirst())
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(expected), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("train refuses a NaN or huge learning rate and a huge batch before reading anything", arguments: [
        ["--learning-rate", "nan"], ["--learning-rate", "1e30"], ["--batch", "100000"], ["--warmup", "-1"],
        ["--until-ssim", "nan"], ["--until-ssim", "inf"], ["--until-ssim", "1.5"], ["--until-ssim", "0"],
    ])
    func trainNumbers(_ arguments: [String]) throws {
        let result = try CLIRunner.run(["train", "--src", "/nonexistent", "--dst", "/nonexistent", "-o", "/tmp/never.safetensors"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("must be between"), "\(result.stderr)")
        if arguments[0] == "--until-ssim" { #expect(result.stderr.contains("between 0.01 and 0.99"), "\(result.stderr)") }
    }

    @Test("train refuses a bad --keep list, --until-ssim without previews, and --from with --resume", arguments: [
        (["--from", "/nonexistent.safetensors", "--keep", "encoder,brain"], "--keep takes encoder, inter and decoder"),
        (["--until-ssim", "0.8", "--preview-every", "0"], "--until-ssim needs --preview-every above 0"),
        (["--from", "/nonexistent.safetensors", "--resume"], "--from starts a new model"),
    ])
    func trainOptionCombinations(_ arguments: [String], _ expected: String) throws {
        let result = try CLIRunner.run(["train", "--src", "/nonexistent", "--dst", "/nonexistent", "-o", "/tmp/never.safetensors"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("run refuses --model-mouth without a facelive model, and with --keep-mouth", arguments: [
        (["--model-mouth"], "--model-mouth needs --model FILE.safetensors"),
        (["--model-mouth", "--model", "/nonexistent.dfm"], "--model-mouth needs --model FILE.safetensors"),
        (["--model-mouth", "--keep-mouth", "--model", "/nonexistent.safetensors"], "give --keep-mouth or --model-mouth, not both"),
    ])
    func runMouthOptions(_ arguments: [String], _ expected: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("o.mp4").path
        let result = try CLIRunner.run(["run", "-i", Self.clip, "-o", out] + arguments)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(expected), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("stdout closed, its reader gone, or full: one line naming stdout, no trap", arguments: [
        "\"$F\" detect -i CLIP --json - | head -c 10 >/dev/null",
        "\"$F\" convert -i CLIP -o OUT --json | true",
        "\"$F\" probe CLIP --json >&-",
        "\"$F\" convert -i CLIP -o OUT --json >/dev/full",
        "\"$F\" detect -i CLIP --json /dev/full",
    ])
    func brokenStdout(_ template: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Long enough that the reader of `head` is gone before detect's last lines.
        let command = template.replacingOccurrences(of: "CLIP", with: "lavfi:testsrc2=size=160x120:rate=25:duration=3")
            .replacingOccurrences(of: "OUT", with: dir.appendingPathComponent("o.mkv").path)
        let result = try Self.shell("set -o pipefail; " + command)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("crashed"), "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: cannot write "), "\(command): \(result.stderr)")
        #expect(result.status == 1, "\(command): exit \(result.status)")
    }

    @Test("model M -o M is refused and the model kept")
    func modelOntoItself() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        let result = try CLIRunner.run(["model", path, "-o", dir.appendingPathComponent("./m.safetensors").path, "--half"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is the input"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("precious".utf8))
        let folder = try CLIRunner.run(["model", dir.path])
        #expect(folder.status == 1 && folder.stderr.contains("is a directory") && !folder.stderr.contains("NSCocoaErrorDomain"),
                "\(folder.stderr)")
    }

    @Test("extract into an existing faceset appends when cut the same way, refuses otherwise, orphans nothing")
    func extractIntoExisting() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = dir.appendingPathComponent("set")
        let photo = RunCommandTests.astronaut
        #expect(try CLIRunner.run(["extract", "-i", photo, "-o", set.path]).status == 0)
        let index = set.appendingPathComponent("index.json")
        func faces() throws -> [[String: Any]] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: index)) as? [String: Any]
            return object?["faces"] as? [[String: Any]] ?? []
        }
        let first = try faces()
        #expect(first.count >= 1)
        #expect(try CLIRunner.run(["extract", "-i", photo, "-o", set.path]).status == 0)
        let second = try faces()
        #expect(second.count == 2 * first.count, "appended")
        let files = Set(second.compactMap { $0["file"] as? String })
        #expect(files.count == second.count, "no crop overwritten")
        for file in files { #expect(FileManager.default.fileExists(atPath: set.appendingPathComponent(file).path)) }

        let before = try Data(contentsOf: index)
        let other = try CLIRunner.run(["extract", "-i", photo, "-o", set.path, "--coverage", "3"])
        #expect(other.status == 1 && other.stderr.contains("cut differently"), "\(other.stderr)")
        #expect(try Data(contentsOf: index) == before, "index untouched")

        let junk = dir.appendingPathComponent("junk")
        try FileManager.default.createDirectory(at: junk, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: junk.appendingPathComponent("000000.png"))
        let refused = try CLIRunner.run(["extract", "-i", photo, "-o", junk.path])
        #expect(refused.status == 1 && refused.stderr.contains("not empty"), "\(refused.stderr)")
        #expect(try Data(contentsOf: junk.appendingPathComponent("000000.png")) == Data("mine".utf8))
    }
}
