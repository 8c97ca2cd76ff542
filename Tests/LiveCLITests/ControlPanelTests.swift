import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Stream
import Testing

/// `run --control`: the panel's API end to end, against a real `facelive run` on a looping lavfi picture of a face.
@Suite(.serialized) struct ControlPanelTests {
    /// The shipped public-domain portrait, looped by FFmpeg's lavfi `movie` source (a live-like endless input).
    static let astronaut = CLIRunner.repoRoot.appendingPathComponent("Tests/Fixtures/astronaut_public_domain.png").path
    static let input = "lavfi:movie=\(astronaut):loop=0,setpts=N/(25*TB),scale=320:320"

    // Every test here is synchronous on purpose: Swift Testing starts all of the suite's tests at once on a
    // cooperative pool as wide as the machine (2 threads in CI), and the synchronous CLI tests hold those threads
    // for minutes. An async wait that suspends is resumed only when a thread frees up, so a wall-clock deadline ran
    // out before its second look at the preview (the full suite failed here while the test alone passed). Blocking
    // keeps the thread this test already has.
    @Test func settingsChangeTheFramesAndBypassLeavesThemUntouched() throws {
        // A new face that differs from the input's: the same portrait mirrored, grey and darker (no colour transfer,
        // no relighting: either would give it the input's own tones).
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let face = folder.appendingPathComponent("grey.png").path
        try PNGEncoder.write(try Self.greyMirroredAstronaut(), to: face)
        let job = try ControlledRun.start(extra: ["--face", face, "--color-transfer", "none", "--relight", "0"])
        defer { job.stop() }
        let untouched = try Self.sourcePreview()
        // Swap on: the face differs from the source.
        let swapped = try job.waitForPreview { $0.changedFraction(untouched) > 0.005 }
        #expect(swapped.changedFraction(untouched) > 0.005, "the swap changes the face")

        #expect(try job.request("POST", "/api/bypass", json: ["bypass": true]).status == 200)
        let bypassed = try job.waitForPreview { $0.meanDifference(untouched) < 0.5 }
        #expect(bypassed.meanDifference(untouched) < 0.5, "bypass passes frames untouched")

        #expect(try job.request("POST", "/api/bypass", json: ["bypass": false]).status == 200)
        _ = try job.waitForPreview { $0.changedFraction(untouched) > 0.005 }
        let patch = try job.request("PATCH", "/api/settings", json: ["opacity": 0])
        #expect(patch.status == 200)
        #expect((patch.json["opacity"] as? Double) == 0)
        let transparent = try job.waitForPreview { $0.changedFraction(untouched) < 0.001 }
        #expect(transparent.changedFraction(untouched) < 0.001, "opacity 0 shows the source face")

        let state = try job.request("GET", "/api/state")
        #expect(state.status == 200)
        #expect(((state.json["settings"] as? [String: Any])?["opacity"] as? Double) == 0)
        #expect((state.json["command"] as? String)?.contains("--opacity 0") == true)
        #expect(((state.json["figures"] as? [String: Any])?["frames"] as? Int ?? 0) > 0)
    }

    @Test func badValuesAndForeignRequestsAreRefused() throws {
        let faces = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: faces) }
        let job = try ControlledRun.start(extra: ["--faces-dir", faces.path])
        defer { job.stop() }
        let outOfRange = try job.request("PATCH", "/api/settings", json: ["opacity": 2])
        #expect(outOfRange.status == 400)
        #expect(outOfRange.json["field"] as? String == "opacity")
        #expect(outOfRange.json["error"] as? String == "opacity must be between 0 and 1 (got 2)")
        for (body, field) in [(["nonsense": 1], "nonsense"), (["color-transfer": "sepia"], "color-transfer"),
                              (["erode": "wide"], "erode"), (["relight": 2], "relight"), (["blend": "sideways"], "blend"),
                              (["occlusion": "gloves"], "occlusion"), (["threshold": 0.05], "threshold"), (["faces": "0,x"], "faces"),
                              (["face": "../../etc/passwd.png"], "face")] as [([String: Any], String)] {
            let response = try job.request("PATCH", "/api/settings", json: body)
            #expect(response.status == 400, "\(body)")
            #expect(response.json["field"] as? String == field, "\(body): \(response.json)")
        }
        let foreign = try job.request("PATCH", "/api/settings", json: ["opacity": 0.5],
                                            headers: ["Origin": "http://evil.example"])
        #expect(foreign.status == 403)
        let crossSite = try job.request("GET", "/api/preview.jpg", headers: ["Sec-Fetch-Site": "cross-site"])
        #expect(crossSite.status == 403)
        let rebound = try job.request("GET", "/api/state", headers: ["Host": "evil.example:\(job.port)"])
        #expect(rebound.status == 403)
        let settings = try job.request("GET", "/api/settings")
        #expect(settings.json["opacity"] as? Double == 1, "refused requests changed nothing")
    }

    @Test func aNewFaceFromTheFolderOrAnUploadIsTakenWithItsWarnings() throws {
        let faces = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: faces) }
        _ = try RunCommandTests.smallAstronaut(in: faces)
        let job = try ControlledRun.start(extra: ["--faces-dir", faces.path])
        defer { job.stop() }
        let picked = try job.request("PATCH", "/api/settings", json: ["face": "small.png"])
        #expect(picked.status == 200)
        let warnings = picked.json["warnings"] as? [String] ?? []
        #expect(warnings.count == 1 && warnings[0].contains("pixels wide, so the swap will look blurred"), "\(picked.json)")
        #expect((try job.request("GET", "/api/state").json["command"] as? String)?.contains("small.png") == true)

        let uploaded = try job.request("POST", "/api/face", body: try Data(contentsOf: URL(fileURLWithPath: Self.astronaut)),
                                       headers: ["X-Filename": "astronaut.png"])
        #expect(uploaded.status == 200)
        #expect(uploaded.json["face"] as? String == "astronaut.png")
        #expect(uploaded.json["warnings"] == nil, "\(uploaded.json)")
    }

    @Test func aTokenIsRequiredWhenSet() throws {
        let token = "s3cretToken42"
        let job = try ControlledRun.start(extra: ["--control-token", token])
        defer { job.stop() }
        #expect(job.url.contains("?token=\(token)"))
        #expect(try job.request("GET", "/api/state").status == 401)
        #expect(try job.request("GET", "/api/state", headers: ["X-Facelive-Token": "wrong-token"]).status == 401)
        #expect(try job.request("GET", "/api/state", headers: ["X-Facelive-Token": token]).status == 200)
        #expect(try job.request("GET", "/", headers: ["Cookie": "facelive_token=\(token)"]).status == 200)
    }

    @Test func recordingWritesTheOutputToANewFileFromTimeZero() throws {
        let folder = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let job = try ControlledRun.start(extra: ["--record-dir", folder.path])
        defer { job.stop() }
        _ = try job.waitForPreview { _ in true }
        let start = try job.request("POST", "/api/recording", json: ["record": true, "name": "take.mp4"])
        #expect(start.status == 200)
        let escape = try job.request("POST", "/api/recording", json: ["record": true, "name": "../take2.mp4"])
        #expect(escape.status == 400)
        Thread.sleep(forTimeInterval: 3)
        #expect(try job.request("POST", "/api/recording", json: ["record": false]).status == 200)
        // The recorder closes the file at the next frame.
        var recording: [String: Any] = [:]
        for _ in 0..<100 {
            recording = try job.request("GET", "/api/state").json["recording"] as? [String: Any] ?? [:]
            if recording["active"] as? Bool == false { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 0.5)
        let frames = recording["frames"] as? Int ?? 0
        #expect(frames > 0)
        let source = try MediaSource(folder.appendingPathComponent("take.mp4").path)
        let first = try #require(try source.nextFrame())
        #expect(first.time < 0.1, "a recording starts at time zero")
        #expect(first.size == FrameSize(width: 320, height: 320))
    }

    @Test func badControlOptionsFailInOneLine() throws {
        for (arguments, message) in [
            (["--control", "localhost:99999"], "--control 'localhost:99999' is invalid"),
            (["--faces-dir", "/tmp"], "need --control"),
            (["--opacity", "nan"], "--opacity must be between 0 and 1 (got nan)"),
            (["--smooth-beta=-1"], "--smooth-beta must be between 0 and 1000 (got -1)"),
        ] {
            let result = try CLIRunner.run(["run", "-i", "lavfi:testsrc2=duration=1", "-o", "/tmp/x.mp4"] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    static func greyMirroredAstronaut() throws -> RGBImage {
        guard let frame = try MediaSource(astronaut).nextFrame() else { throw ControlledRun.Failure("no astronaut") }
        let image = try frame.image
        var grey = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                let s = y * image.rowBytes + (image.width - 1 - x) * 3, d = y * image.rowBytes + x * 3
                let luma = (Int(image.pixels[s]) * 3 + Int(image.pixels[s + 1]) * 6 + Int(image.pixels[s + 2])) / 10
                for c in 0..<3 { grey.pixels[d + c] = UInt8(luma * 6 / 10) }
            }
        }
        return grey
    }

    /// The source picture as the preview encodes it (same scaling and JPEG path).
    static func sourcePreview() throws -> Picture {
        let source = try MediaSource(input, options: SourceOptions())
        guard let frame = try source.nextFrame() else { throw ControlledRun.Failure("no source frame") }
        return try Picture(jpeg: try JPEGEncoder().encode(try frame.image))
    }
}

/// A decoded preview picture.
struct Picture {
    var image: RGBImage

    init(jpeg: Data) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-preview-\(UUID().uuidString).jpg")
        try jpeg.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        guard let frame = try MediaSource(file.path).nextFrame() else { throw ControlledRun.Failure("undecodable preview") }
        image = try frame.image
    }

    /// The fraction of samples that differ by more than 24 (of 255): the swapped part of the picture.
    func changedFraction(_ other: Picture) -> Double {
        guard image.width == other.image.width, image.height == other.image.height else { return 1 }
        let changed = zip(image.pixels, other.image.pixels).reduce(0) { $0 + (abs(Int($1.0) - Int($1.1)) > 24 ? 1 : 0) }
        return Double(changed) / Double(image.pixels.count)
    }

    /// Mean absolute difference per channel (0–255); infinite when the sizes differ.
    func meanDifference(_ other: Picture) -> Double {
        guard image.width == other.image.width, image.height == other.image.height else { return .infinity }
        var sum = 0
        for (a, b) in zip(image.pixels, other.image.pixels) { sum += abs(Int(a) - Int(b)) }
        return Double(sum) / Double(image.pixels.count)
    }
}

/// `facelive run … --control 127.0.0.1:0` in the background, with the URL it printed.
final class ControlledRun: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Reply {
        var status: Int
        var data: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
    }

    let process = Process()
    let url: String
    let port: Int
    private let stderr = Pipe()

    private init(arguments: [String]) throws {
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The URL line comes once the server listens (after the models load).
        var text = ""
        let deadline = Date().addingTimeInterval(300)
        let fd = stderr.fileHandleForReading.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !text.contains("control panel: http"), Date() < deadline, process.isRunning || !text.isEmpty {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            text += String(decoding: buffer[0..<n], as: UTF8.self)
            if text.contains("control panel: http"), !text.hasSuffix("\n") { continue }
        }
        guard let line = text.split(separator: "\n").first(where: { $0.contains("control panel: http") }),
              let start = line.range(of: "http") else {
            process.terminate()
            throw Failure("no control panel URL; stderr: \(text)")
        }
        url = String(line[start.lowerBound...])
        let hostPort = url.dropFirst("http://".count).prefix { $0 != "/" }
        port = Int(hostPort.split(separator: ":").last ?? "") ?? 0
        // Keep draining stderr so the child never blocks on a full pipe.
        let handle = stderr.fileHandleForReading
        Thread { _ = CLIRunner.readAll(handle.fileDescriptor) }.start()
    }

    static func start(extra: [String]) throws -> ControlledRun {
        try ControlledRun(arguments: ["run", "-i", ControlPanelTests.input, "-o", "-", "-f", "nut", "--crf", "30",
                                      "--max-frames", "100000", "--control", "127.0.0.1:0"] + extra)
    }

    func stop() {
        process.interrupt()
        process.waitUntilExit()
    }

    func request(_ method: String, _ path: String, json: [String: Any]? = nil, body: Data? = nil,
                 headers: [String: String] = [:]) throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 30
        request.httpBody = body
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        // A blocking request (see the note at the top of the suite); URLSession calls back on its own queue.
        nonisolated(unsafe) var result: Result<Reply, Error> = .failure(Failure("no reply"))
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else {
                result = .success(Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, data: data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }

    /// Polls the preview until `condition` holds (a change shows from the next frame; the preview keeps up to
    /// 10 pictures a second), up to 10 minutes (the whole suite shares the machine); returns the last picture.
    func waitForPreview(_ condition: (Picture) -> Bool) throws -> Picture {
        // Generous: the whole suite runs in parallel on two cores, and at its start dozens of debug-build
        // processes load their models at once (a first frame took over 3 minutes there); a met condition returns
        // at once.
        let deadline = Date().addingTimeInterval(600)
        var last: Picture?
        while Date() < deadline {
            let reply = try request("GET", "/api/preview.jpg")
            if reply.status == 200 {
                let picture = try Picture(jpeg: reply.data)
                last = picture
                if condition(picture) { return picture }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        guard let last else { throw Failure("no preview within 10 minutes") }
        return last
    }
}
