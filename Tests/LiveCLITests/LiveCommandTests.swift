import Foundation
import Stream
import Testing

/// `facelive bench` and `run` on a live network input: a second facelive process plays a clip in real time as an
/// mpegts stream over UDP loopback, like a camera.
@Suite("Live input from a second process", .serialized)
struct LiveCommandTests {
    static func startCamera(port: Int, seconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["convert", "-i", "lavfi:testsrc2=size=640x360:rate=30:duration=\(seconds)", "--realtime",
                             "-o", "udp://127.0.0.1:\(port)?pkt_size=1316", "-f", "mpegts", "--preset", "ultrafast",
                             "--gop", "10"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("a silent UDP input (probe, convert) fails after --input-timeout in one line, writing nothing",
          arguments: [["probe"], ["convert", "-o"]])
    func silentInputTimesOut(_ command: [String]) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = "udp://127.0.0.1:\(Int.random(in: 40000..<50000))"
        var arguments = [command[0]] + (command[0] == "probe" ? [input] : ["-i", input])
        if command.count > 1 { arguments += ["-o", dir.appendingPathComponent("out.mp4").path] }
        let start = ContinuousClock.now
        let result = try CLIRunner.run(arguments + ["--input-timeout", "1.5"])
        #expect(ContinuousClock.now - start < .seconds(10), "no hang")
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n") == ["Error: no data from \(input) for 1.5 s (is anything sending? --input-timeout sets the limit)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no output created")
    }

    @Test("a stream that stops mid-way ends the job after --input-timeout with a warning; the output plays")
    func stoppedStreamFinalisesOutput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = Int.random(in: 40000..<50000)
        let out = dir.appendingPathComponent("out.mp4").path
        let start = ContinuousClock.now
        let result = try CLIRunner.run(["convert", "-i", "udp://127.0.0.1:\(port)", "-o", out, "--input-timeout", "4"]) { _ in
            Thread.sleep(forTimeInterval: 0.5)
            guard let camera = try? Self.startCamera(port: port, seconds: 2) else { return }
            camera.waitUntilExit()
        }
        #expect(ContinuousClock.now - start < .seconds(20), "no hang")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: input ended early: no data from udp://127.0.0.1:\(port) for 4 s"), "\(result.stderr)")
        let frames = try MediaProbe.probe(out).streams.first?.frames ?? 0
        #expect(frames > 10, "what arrived was written and the file plays: \(frames) frames")
    }

    @Test("bench reads the stream live and reports the JSON contract")
    func benchOnLiveStream() throws {
        let port = Int.random(in: 40000..<50000)
        let camera = try Self.startCamera(port: port, seconds: 5)
        defer { camera.terminate() }
        let result = try CLIRunner.run(["bench", "-i", "udp://127.0.0.1:\(port)", "--duration", "2", "--json", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let jsonStart = try #require(result.stdout.firstIndex(of: "{"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout[jsonStart...].utf8)) as? [String: Any])
        let frames = try #require(object["frames"] as? Int)
        let drops = try #require(object["drops"] as? Int)
        #expect(frames + drops == 60, "2 s at 30 fps: \(frames) written + \(drops) dropped")
        #expect(frames > 0, "frames reach the output (how many depends on the machine's speed)")
        let latency = try #require(object["latency_ms"] as? [String: Double])
        let stages = try #require(object["stages"] as? [String: [String: Double]])
        for stage in ["decode", "analyze", "encode"] { #expect(stages[stage] != nil, "stage \(stage) timed") }
        // Live frames never queue up behind each other: a frame waits at most one frame's work at each stage, so
        // its latency stays within twice the stages' slowest times (sub-stages included: a looser bound), however
        // loaded the machine. A queue that let frames pile up would pass it by whole backlogs.
        let slowest = stages.values.reduce(0) { $0 + ($1["max_ms"] ?? .infinity) }
        #expect((latency["p99"] ?? .infinity) <= 2 * slowest + 100, "latency stays bounded: \(latency), stages \(stages)")
    }
}
