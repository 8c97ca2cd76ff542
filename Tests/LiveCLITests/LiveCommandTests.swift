import Foundation
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
        #expect((latency["p99"] ?? .infinity) < 1000, "latency stays bounded: \(latency)")
        let stages = try #require(object["stages"] as? [String: Any])
        for stage in ["decode", "analyze", "encode"] { #expect(stages[stage] != nil, "stage \(stage) timed") }
    }
}
