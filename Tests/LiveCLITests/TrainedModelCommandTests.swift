import Foundation
import Stream
import Testing

/// The trained-model path end to end through the binary: extract → train → model --half → run --model.
@Suite("facelive extract → train → run --model")
struct TrainedModelCommandTests {
    /// 2 s at 10 fps of a zoom and sway over the public-domain astronaut portrait (the lavfi trick of scripts/demo.sh).
    static func makeClip(at path: String) throws {
        let pan = "movie=\(RunCommandTests.astronaut),loop=loop=-1:size=1,"
            + "zoompan=z='1.4-0.01*on':x='iw/2-(iw/zoom/2)+25*sin(on/4)':y='ih*0.3-(ih/zoom/2)':d=1:s=192x192:fps=10,"
            + "trim=duration=2"
        try Self.succeed(["convert", "-i", "lavfi:" + pan, "-o", path])
    }

    @discardableResult
    static func succeed(_ arguments: [String]) throws -> CLIRunner.Result {
        let result = try CLIRunner.run(arguments)
        guard result.status == 0 else { throw CLIError("facelive \(arguments[0]) failed: \(result.stderr)") }
        return result
    }

    static func frames(_ path: String) throws -> [RGBImage] {
        let source = try MediaSource(path)
        var images: [RGBImage] = []
        while let frame = try source.nextFrame() { images.append(try frame.image) }
        return images
    }

    /// Mean absolute difference per channel of two images inside (or outside) a box.
    static func difference(_ a: RGBImage, _ b: RGBImage, inside: (x0: Int, y0: Int, x1: Int, y1: Int), outside: Bool)
        -> Double {
        var total = 0, count = 0
        for y in 0..<a.height {
            for x in 0..<a.width {
                let isInside = x >= inside.x0 && x < inside.x1 && y >= inside.y0 && y < inside.y1
                guard isInside != outside else { continue }
                let p = a[x, y], q = b[x, y]
                total += abs(Int(p.r) - Int(q.r)) + abs(Int(p.g) - Int(q.g)) + abs(Int(p.b) - Int(q.b))
                count += 3
            }
        }
        return Double(total) / Double(max(count, 1))
    }

    @Test("a model trained on faces extracted from a clip swaps the faces of that clip, frame for frame")
    func extractTrainRun() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = dir.appendingPathComponent("clip.mp4").path
        let faces = dir.appendingPathComponent("faces").path
        let model = dir.appendingPathComponent("model.safetensors").path
        let half = dir.appendingPathComponent("model-f16.safetensors").path
        let out = dir.appendingPathComponent("swapped.mp4").path
        try Self.makeClip(at: clip)

        // A coverage other than the default: the model must remember it and crop with it at run time.
        try Self.succeed(["extract", "-i", clip, "-o", faces, "--resolution", "64", "--coverage", "2"])
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: faces + "/index.json")))
        let faceCount = ((index as? [String: Any])?["faces"] as? [Any])?.count ?? 0
        #expect(faceCount >= 5, "\(faceCount) faces extracted")
        let alignment = (index as? [String: Any])?["alignment"] as? [String: Any]
        #expect(alignment?["coverage"] as? Double == 2 && alignment?["yOffset"] as? Double == -0.08, "\(String(describing: alignment))")

        // The same faceset on both sides keeps the test small; a few iterations make a model that runs, not a good one.
        try Self.succeed(["train", "--src", faces, "--dst", faces, "-o", model, "--resolution", "64", "--batch", "2",
                          "--iterations", "2", "--preview-every", "0"])
        let described = try Self.succeed(["model", model, "-o", half, "--half"])
        #expect(described.stdout.contains("df 64 px") && described.stdout.contains("coverage 2.00"), "\(described.stdout)")
        let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        #expect(try Double(size(half)) < 0.55 * Double(size(model)), "fp16 weights take half the bytes")

        // An alignment flag that contradicts the model is refused; one that agrees is accepted.
        let refused = try CLIRunner.run(["run", "-i", clip, "-o", out, "--model", model, "--coverage", "2.2"])
        #expect(refused.status != 0 && refused.stderr.contains("coverage 2.2") && refused.stderr.contains("the model"),
                "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let report = try Self.succeed(["run", "-i", clip, "-o", out, "--model", model, "--coverage", "2",
                                       "--temporal-smoothing", "0.5", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        #expect(json?["frames"] as? Int == 20)
        let figures = try #require((json?["measurements"] as? [String: Any])?["faceswap"] as? [String: Double])
        #expect((figures["flicker_pairs"] ?? 0) >= 15, "\(figures)")
        #expect(try #require(figures["flicker"]) <= #require(figures["flicker_unsmoothed"]), "\(figures)")

        let before = try Self.frames(clip), after = try Self.frames(out)
        #expect(after.count == before.count && before.count == 20)
        // Each frame: inside the face (the central half of its detected box) the picture changed; well away from it,
        // only the second encode's noise.
        let detections = try DetectionLog.detect(clip).frames
        #expect(detections.count == before.count)
        for (frame, detection) in zip(zip(before, after), detections) {
            let box = try #require(detection.faces.first?.box)
            let (x, y, w, h) = (Int(box[0]), Int(box[1]), Int(box[2]), Int(box[3]))
            let centre = Self.difference(frame.0, frame.1, inside: (x + w / 4, y + h / 4, x + 3 * w / 4, y + 3 * h / 4),
                                         outside: false)
            let away = Self.difference(frame.0, frame.1, inside: (x - w / 2, y - h / 2, x + w + w / 2, y + h + h / 2),
                                       outside: true)
            #expect(centre > 5 && centre > 3 * away, "frame \(detection.frame): face changed \(centre), elsewhere \(away)")
            #expect(away < 4, "frame \(detection.frame): away from the face \(away)")
        }
    }

    @Test("train refuses src and dst facesets cut with different alignments")
    func trainRefusesMismatchedAlignments() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = dir.appendingPathComponent("clip.mp4").path
        let wide = dir.appendingPathComponent("wide").path, tight = dir.appendingPathComponent("tight").path
        let model = dir.appendingPathComponent("model.safetensors").path
        try Self.makeClip(at: clip)
        try Self.succeed(["extract", "-i", clip, "-o", wide, "--resolution", "64", "--max", "3"])
        try Self.succeed(["extract", "-i", clip, "-o", tight, "--resolution", "64", "--max", "3", "--coverage", "1.6"])
        let result = try CLIRunner.run(["train", "--src", wide, "--dst", tight, "-o", model, "--resolution", "64",
                                        "--iterations", "1"])
        #expect(result.status != 0 && result.stderr.contains("cut differently") && result.stderr.contains("coverage 1.6"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: model))
    }

    @Test("train refuses a missing or empty faceset, and model a missing file, in one line with a non-zero exit")
    func badInput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data(#"{"version": 1, "resolution": 64, "coverage": 2.2, "faces": []}"#.utf8)
            .write(to: empty.appendingPathComponent("index.json"))
        let missing = dir.appendingPathComponent("missing").path
        let model = dir.appendingPathComponent("m.safetensors").path
        let cases: [([String], String)] = [
            (["train", "--src", missing, "--dst", empty.path, "-o", model], "faceset \(missing)"),
            (["train", "--src", empty.path, "--dst", empty.path, "-o", model], "has no faces"),
            (["model", model], "cannot read \(model)"),
        ]
        for (arguments, message) in cases {
            let result = try CLIRunner.run(arguments)
            let stderr = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(result.status != 0, "\(arguments)")
            #expect(stderr.contains(message), "\(arguments): \(stderr)")
            #expect(!stderr.contains("\n"), "one line: \(stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: model))
    }
}
