import Foundation
import Stream
import Testing

@Suite("facelive convert / probe, end to end")
struct ConvertCommandTests {
    static let pattern = "lavfi:testsrc2=size=320x240:rate=30:duration=1"

    @Test("a transcode writes a playable file, quietly when not on a terminal")
    func transcode() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.mp4").path
        let result = try CLIRunner.run(["convert", "-i", Self.pattern, "-o", out, "--preset", "ultrafast"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "no progress output without a terminal: \(result.stderr)")
        let info = try MediaProbe.probe(out)
        #expect(info.streams.first?.frames == 30)
    }

    @Test("--json prints the report contract")
    func jsonReport() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.mkv").path
        let result = try CLIRunner.run(["convert", "-i", Self.pattern, "-o", out, "--json", "--max-frames", "12"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["frames"] as? Int == 12)
        #expect(object["drops"] as? Int == 0)
        #expect(object["fps"] is Double)
        let latency = try #require(object["latency_ms"] as? [String: Double])
        #expect(Set(latency.keys).isSuperset(of: ["p50", "p95", "p99", "max"]))
        let stages = try #require(object["stages"] as? [String: [String: Any]])
        for stage in ["decode", "encode"] {
            let keys = Set(stages[stage].map { Array($0.keys) } ?? [])
            #expect(keys.isSuperset(of: ["mean_ms", "p50_ms", "p95_ms", "p99_ms"]), "stage \(stage): \(keys)")
        }
        #expect(object["cpu_percent"] is Double && object["peak_rss_mb"] is Double)
    }

    @Test("probe --json lists streams with frame counts")
    func probeJSON() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("p.mp4").path
        try CLIRunner.run(["convert", "-i", Self.pattern, "-o", out])
        let result = try CLIRunner.run(["probe", out, "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let streams = try #require(object["streams"] as? [[String: Any]])
        #expect(streams.first?["codec"] as? String == "h264")
        #expect(streams.first?["frames"] as? Int == 30)
        #expect(streams.first?["width"] as? Int == 320)
    }

    @Test("bad input or output: one clear line, non-zero exit", arguments: [
        (["convert", "-i", "/no/such.mp4", "-o", "/tmp/x.mp4"], "input not found"),
        (["convert", "-i", pattern, "-o", "/tmp/x.mp4", "--size", "12x"], "size"),
        (["convert", "-i", pattern, "-o", "/tmp/x.unknownext"], "unknown output format"),
        (["convert", "-i", pattern, "-o", "/no/such/dir/x.mp4"], "cannot write output"),
        (["convert", "-i", "lavfi:sine=duration=1", "-o", "/tmp/x.mp4"], "no video stream"),
        (["convert", "-i", pattern, "-o", "/tmp/x.mp4", "--preset", "warp"], "preset"),
        (["convert", "-i", pattern, "-o", "-"], "-f"),
        (["probe", "/no/such.mp4"], "input not found"),
    ])
    func badInvocations(_ arguments: [String], _ expected: String) throws {
        let result = try CLIRunner.run(arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count >= 1 && lines[0].contains(expected), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "no crash")
    }

    @Test("garbage input is refused with the file named")
    func garbageInput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("noise.mp4").path
        try Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: URL(fileURLWithPath: path))
        let result = try CLIRunner.run(["convert", "-i", path, "-o", dir.appendingPathComponent("o.mp4").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(path), "stderr: \(result.stderr)")
    }

    @Test("SIGINT finishes the file: it plays, with the frames written so far")
    func interruptLeavesPlayableFile() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cut.mp4").path
        // An endless source, slowed to real time by a live 720p encode: it only stops on the signal.
        let result = try CLIRunner.run(["convert", "-i", "lavfi:testsrc2=size=640x360:rate=30", "-o", out]) { process in
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(result.status == 130, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("interrupted"))
        let source = try MediaSource(out)
        var frames = 0
        while try source.nextFrame() != nil { frames += 1 }
        #expect(frames > 0)
    }
}
