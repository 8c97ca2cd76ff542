import Foundation
import Stream
import Testing

@Suite("facelive devices, virtual-camera output, webcam options, --delay")
struct LiveCommandTests {
    static let pattern = "lavfi:testsrc2=size=320x240:rate=30:duration=1"
    static let hasVideoDevices = !V4L2DeviceInfo.list().isEmpty

    @Test("devices runs and exits 0; with no devices it says so and hints at v4l2loopback")
    func devices() throws {
        let result = try CLIRunner.run(["devices"])
        #expect(result.status == 0, "\(result.stderr)")
        if Self.hasVideoDevices {
            #expect(result.stdout.contains("/dev/video"))
        } else {
            #expect(result.stdout.hasPrefix("no V4L2 devices"))
            #expect(result.stdout.contains("modprobe v4l2loopback"))
        }
    }

    @Test("devices --json is a JSON array of devices")
    func devicesJSON() throws {
        let result = try CLIRunner.run(["devices", "--json"])
        #expect(result.status == 0)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == V4L2DeviceInfo.list().count)
        for device in array { #expect(device["path"] is String && device["output"] is Bool) }
    }

    @Test("bad virtual-camera outputs and webcam options: one clear line, non-zero exit", arguments: [
        (["-o", "v4l2:__FILE__"], "not a V4L2 device: "),
        (["-o", "v4l2:/dev/null"], "not a V4L2 device: /dev/null"),
        (["-o", "/dev/video99"], "no such device: /dev/video99"),
        (["-o", "/tmp/x.mp4", "--input-size", "640x480"], "apply to a webcam input"),
        (["-o", "/tmp/x.mp4", "--delay", "-5"], "--delay"),
        (["-o", "/tmp/x.mp4", "--delay", "9000"], "--delay"),
        (["-o", "v4l2:/dev/null", "--v4l2-format", "rgb"], "--v4l2-format"),
    ])
    func badInvocations(_ extra: [String], _ expected: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("somefile").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        let arguments = ["convert", "-i", Self.pattern] + extra.map { $0.replacingOccurrences(of: "__FILE__", with: file) }
        let result = try CLIRunner.run(arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.first?.contains(expected) == true, "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "no crash")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).isEmpty, "nothing written to a non-device")
    }

    @Test("webcam options on a device that is not there: the device is named")
    func webcamOptionsReachTheDevice() throws {
        let result = try CLIRunner.run(["convert", "-i", "/dev/video99", "-o", "/tmp/x.mp4",
                                        "--input-size", "640x480", "--input-fps", "30", "--input-format", "mjpeg"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/dev/video99") && result.stderr.contains("no such device"), "stderr: \(result.stderr)")
        let bad = try CLIRunner.run(["convert", "-i", "/dev/video99", "-o", "/tmp/x.mp4", "--input-format", "yuv9000"])
        #expect(bad.status != 0 && bad.stderr.contains("invalid --input-format 'yuv9000'"), "stderr: \(bad.stderr)")
    }

    @Test("--delay on a live run: every frame still comes out")
    func delayedLiveRun() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("delayed.mkv").path
        let result = try CLIRunner.run(["convert", "-i", "lavfi:testsrc2=size=160x120:rate=30", "--live", "--max-frames", "15",
                                        "-o", out, "--delay", "100", "--preset", "ultrafast", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let written = try #require(object["frames"] as? Int)
        #expect(written > 0)
        #expect(try MediaProbe.probe(out).streams.first?.frames == written)
    }
}
