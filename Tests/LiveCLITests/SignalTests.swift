import Foundation
import Stream
import Testing

/// Stop signals sent to a running job: the output is finished so it plays, however impatient the user.
@Suite("Stop signals finish the output")
struct SignalTests {
    /// An endless source: the job only stops on a signal.
    static let endless = "lavfi:testsrc2=size=320x240:rate=30"

    static func framesIn(_ path: String) throws -> Int {
        let source = try MediaSource(path)
        var frames = 0
        while try source.nextFrame() != nil { frames += 1 }
        return frames
    }

    @Test("SIGHUP (terminal closed) finishes the output like SIGINT and SIGTERM", arguments: [SIGHUP, SIGTERM, SIGINT])
    func stopSignalFinishes(_ signal: Int32) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cut.mp4").path
        let result = try CLIRunner.run(["convert", "-i", Self.endless, "-o", out, "--realtime"]) { process in
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, signal)
        }
        #expect(result.status == 128 + signal, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("interrupted: \(out) closed after"))
        #expect(try Self.framesIn(out) > 0)
    }

    @Test("a second Ctrl-C right after the first still lets the output finish; a third quits at once")
    func impatientInterrupts() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("cut.mp4").path
        let twice = try CLIRunner.run(["convert", "-i", Self.endless, "-o", out, "--realtime"]) { process in
            Thread.sleep(forTimeInterval: 1.5)
            kill(process.processIdentifier, SIGINT)
            Thread.sleep(forTimeInterval: 0.01)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(twice.status == 130, "stderr: \(twice.stderr)")
        #expect(try Self.framesIn(out) > 0, "the file plays")

        // Three signals: the process ends promptly even while the output is being finished.
        let start = ContinuousClock.now
        let thrice = try CLIRunner.run(["convert", "-i", Self.endless, "-o", out, "--realtime"]) { process in
            Thread.sleep(forTimeInterval: 1)
            for _ in 0..<3 {
                kill(process.processIdentifier, SIGINT)
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        #expect(thrice.status == 130)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("--fragmented mp4: a run killed outright leaves a playable partial file beside the output")
    func fragmentedSurvivesKill() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("rec.mp4").path
        let result = try CLIRunner.run(["convert", "-i", Self.endless, "-o", out, "--realtime", "--fragmented", "--gop", "15"]) { process in
            // Kill once a couple of fragments (15 frames each) are on disk, however loaded the machine.
            let deadline = Date(timeIntervalSinceNow: 30)
            while Date() < deadline {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
                let sizes = names.compactMap { try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent($0).path)[.size] as? Int }
                if sizes.contains(where: { $0 > 60_000 }) { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            kill(process.processIdentifier, SIGKILL)
        }
        #expect(result.status == SIGKILL)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let partial = try #require(names.first { $0.hasPrefix("rec.partial-") && $0.hasSuffix(".mp4") }, "\(names)")
        #expect(try Self.framesIn(dir.appendingPathComponent(partial).path) >= 15, "at least one fragment plays")
    }

    @Test("--fragmented and -f mp4 on a pipe: clear errors naming what to do", arguments: [
        (["-o", "OUT.mkv", "--fragmented"], "fragmented output needs an MP4 or MOV container"),
        (["-o", "-", "-f", "mp4"], "mp4 needs a seekable file; on a pipe use --fragmented"),
        (["-o", "OUT.gif"], "the gif container refused h264 video"),
        (["-o", "OUT.webm"], "the webm container cannot carry h264 video"),
    ])
    func containerErrors(_ arguments: [String], _ expected: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = arguments.map { $0.replacingOccurrences(of: "OUT", with: dir.appendingPathComponent("out").path) }
        let result = try CLIRunner.run(["convert", "-i", "lavfi:testsrc2=size=64x48:duration=0.2"] + args)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(expected), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
