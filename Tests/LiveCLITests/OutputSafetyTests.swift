import Foundation
import Stream
import Testing

/// No output may destroy an input or a good file: outputs that name an input are refused, and a failed job
/// leaves an existing output as it was.
@Suite("Outputs never destroy inputs or good files")
struct OutputSafetyTests {
    static let pattern = "lavfi:testsrc2=size=160x120:rate=25:duration=1"

    /// A 25-frame H.264 clip written by facelive itself.
    static func clip(in dir: URL, name: String = "in.mp4") throws -> String {
        let path = dir.appendingPathComponent(name).path
        let result = try CLIRunner.run(["convert", "-i", pattern, "-o", path, "--preset", "ultrafast"])
        guard result.status == 0 else { throw CLIError(result.stderr) }
        return path
    }

    /// A clip whose container is intact but whose pictures cannot be decoded (the media data zeroed).
    static func undecodableClip(in dir: URL) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try clip(in: dir, name: "source.mp4"))))
        let mdat = try #require(bytes.indices.dropLast(4).first { bytes[$0..<$0 + 4] == [0x6D, 0x64, 0x61, 0x74] })
        for i in (mdat + 4)..<bytes.count where i < mdat + 4 + bytes.count / 2 { bytes[i] = 0 }
        let path = dir.appendingPathComponent("undecodable.mp4").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func expectOneLineError(_ result: CLIRunner.Result, containing text: String) {
        #expect(result.status == 1 || result.status == 64, "exit \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(text), "stderr: \(result.stderr)")
    }

    /// Files left in `dir` other than `expected` (a partial file would show here).
    static func strayFiles(in dir: URL, expected: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !expected.contains($0) }
    }

    @Test("-o naming the input (directly, through .., through a symlink) is refused and the input kept",
          arguments: ["in.mp4", "sub/../in.mp4", "link.mp4"])
    func outputIsInput(_ name: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try Self.clip(in: dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.mp4").path, withDestinationPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        for command in ["convert", "run"] {
            let result = try CLIRunner.run([command, "-i", input, "-o", dir.appendingPathComponent(name).path])
            Self.expectOneLineError(result, containing: "is the input")
            #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before, "\(command) changed the input")
        }
    }

    @Test("detect --json and bench --json naming the input are refused; run --preview may not be -o")
    func otherOutputs() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try Self.clip(in: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        Self.expectOneLineError(try CLIRunner.run(["detect", "-i", input, "--json", input]), containing: "is the input")
        Self.expectOneLineError(try CLIRunner.run(["bench", "-i", input, "--json", input]), containing: "is the input")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)

        let out = dir.appendingPathComponent("p.mp4").path
        let preview = try CLIRunner.run(["run", "-i", input, "-o", out, "--preview", dir.appendingPathComponent("./p.mp4").path])
        Self.expectOneLineError(preview, containing: "same file")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a failed job leaves an existing output as it was, and no partial file", arguments: ["mp4", "mkv", "png"])
    func failedJobKeepsGoodOutput(_ ext: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try Self.undecodableClip(in: dir)
        let good = dir.appendingPathComponent("good.\(ext)").path
        #expect(try CLIRunner.run(["convert", "-i", Self.pattern, "-o", good]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: good))
        let result = try CLIRunner.run(["convert", "-i", bad, "-o", good])
        Self.expectOneLineError(result, containing: "no video frame")
        #expect(try Data(contentsOf: URL(fileURLWithPath: good)) == before)
        #expect(try Self.strayFiles(in: dir, expected: ["source.mp4", "undecodable.mp4", "good.\(ext)"]) == [])
        // A failure before any frame never creates the output either.
        let fresh = dir.appendingPathComponent("fresh.\(ext)").path
        _ = try CLIRunner.run(["convert", "-i", bad, "-o", fresh])
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test("a successful job replaces the output (through a symlink: the file it points to), leaving no partial file")
    func successReplaces() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("target.mp4").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        let link = dir.appendingPathComponent("link.mp4").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try CLIRunner.run(["convert", "-i", Self.pattern, "-o", link])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try MediaProbe.probe(target).streams.first?.frames == 25)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target, "the link stays a link")
        #expect(try Self.strayFiles(in: dir, expected: ["target.mp4", "link.mp4"]) == [])
    }
}
