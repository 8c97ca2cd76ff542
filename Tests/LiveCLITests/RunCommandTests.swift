import Foundation
import Stream
import Testing

@Suite("facelive run")
struct RunCommandTests {
    static let fixtures = CLIRunner.repoRoot.appendingPathComponent("Tests/Fixtures")
    static let solvay = fixtures.appendingPathComponent("solvay_1927_group_public_domain.png").path
    static let astronaut = fixtures.appendingPathComponent("astronaut_public_domain.png").path

    /// The Solvay group with every face swapped to the default (astronaut) face; PNG out, so no codec noise.
    static func swapSolvay(into dir: URL, name: String = "swapped.png") throws -> String {
        let out = dir.appendingPathComponent(name).path
        let result = try CLIRunner.run(["run", "-i", solvay, "-o", out, "--max-faces", "0", "--tiles", "3x2"])
        guard result.status == 0 else { throw CLIError(result.stderr) }
        return out
    }

    static func image(_ path: String) throws -> RGBImage {
        guard let frame = try MediaSource(path).nextFrame() else { throw CLIError("no frame in \(path)") }
        return try frame.image
    }

    @Test("faces change, everything outside them stays bit-identical, and the run is deterministic")
    func swapsOnlyFaces() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try Self.swapSolvay(into: dir)
        let second = try Self.swapSolvay(into: dir, name: "again.png")
        let before = try Self.image(Self.solvay), after = try Self.image(first)
        #expect(try Self.image(second) == after, "same input, same output")

        let faces = try DetectionLog.detect(Self.solvay, ["--max-faces", "0", "--tiles", "3x2"]).frames[0].faces
        #expect(faces.count >= 15)
        // A generous box around each face (the mask never leaves its face's box plus the feathering).
        var nearFace = [Bool](repeating: false, count: before.width * before.height)
        for face in faces {
            let pad = face.box[2] * 0.5
            let x0 = max(0, Int(face.box[0] - pad)), x1 = min(before.width, Int(face.box[0] + face.box[2] + pad))
            let y0 = max(0, Int(face.box[1] - pad)), y1 = min(before.height, Int(face.box[1] + face.box[3] + pad))
            for y in y0..<y1 { for x in x0..<x1 { nearFace[y * before.width + x] = true } }
        }
        var changedOutside = 0
        for i in nearFace.indices where !nearFace[i] {
            if before.pixels[3 * i] != after.pixels[3 * i] || before.pixels[3 * i + 1] != after.pixels[3 * i + 1]
                || before.pixels[3 * i + 2] != after.pixels[3 * i + 2] { changedOutside += 1 }
        }
        #expect(changedOutside == 0, "\(changedOutside) pixels changed away from the faces")

        // Inside: the centre of each face (between the eyes and the mouth) changed.
        var changedFaces = 0
        for face in faces {
            let cx = Int(face.box[0] + face.box[2] / 2), cy = Int(face.box[1] + face.box[3] / 2)
            let r = max(2, Int(face.box[2] / 6))
            var diff = 0
            for y in (cy - r)...(cy + r) { for x in (cx - r)...(cx + r) {
                diff += abs(Int(before[x, y].g) - Int(after[x, y].g))
            } }
            if diff > (2 * r + 1) * (2 * r + 1) * 3 { changedFaces += 1 }
        }
        #expect(changedFaces >= faces.count * 3 / 4, "\(changedFaces) of \(faces.count) faces visibly changed")
    }

    @Test("the swapped face is still a face, with expression and pose kept")
    func swappedStillAFace() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Target: the Solvay group; each swapped face must still be found where it was, landmarks close.
        let swapped = try Self.swapSolvay(into: dir)
        let options = ["--max-faces", "0", "--tiles", "3x2"]
        let before = try DetectionLog.detect(Self.solvay, options).frames[0].faces
        let after = try DetectionLog.detect(swapped, options).frames[0].faces
        var matched = 0
        var errors: [Float] = []
        for face in before {
            let centre = SIMD2(face.box[0] + face.box[2] / 2, face.box[1] + face.box[3] / 2)
            guard let twin = after.min(by: { distance($0, centre) < distance($1, centre) }),
                  distance(twin, centre) < face.box[2] / 2 else { continue }
            matched += 1
            let mean = zip(face.landmarks, twin.landmarks).map { a, b in
                ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])).squareRoot()
            }.reduce(0, +) / Float(face.landmarks.count)
            errors.append(mean / face.box[2])
        }
        #expect(matched >= before.count * 3 / 4, "\(matched) of \(before.count) faces found again after the swap")
        let median = errors.sorted()[errors.count / 2]
        #expect(median < 0.08, "median landmark shift \(median) face widths")
    }

    private func distance(_ face: DetectionLog.Face, _ point: SIMD2<Float>) -> Float {
        let c = SIMD2(face.box[0] + face.box[2] / 2, face.box[1] + face.box[3] / 2)
        return ((c - point) * (c - point)).sum().squareRoot()
    }

    @Test("frames without faces pass through untouched")
    func noFacePassesThrough() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("pattern.png").path
        let out = dir.appendingPathComponent("out.png").path
        try CLIRunner.run(["convert", "-i", "lavfi:testsrc2=size=320x240:rate=1:duration=1", "-o", input])
        let result = try CLIRunner.run(["run", "-i", input, "-o", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.image(out) == Self.image(input))
    }

    @Test("a photo with no face is refused with a clear message")
    func photoWithoutFace() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let photo = dir.appendingPathComponent("noface.png").path
        try CLIRunner.run(["convert", "-i", "lavfi:color=c=white:size=320x240:rate=1:duration=1", "-o", photo])
        let result = try CLIRunner.run(["run", "-i", Self.astronaut, "-o", dir.appendingPathComponent("o.png").path,
                                        "--face", photo])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no face found in \(photo)"), "\(result.stderr)")
    }

    /// The shipped photo shrunk to a third: its face is about 32 pixels wide.
    static func smallAstronaut(in dir: URL) throws -> String {
        let photo = dir.appendingPathComponent("small.png").path
        try FFmpegTool.run(["-i", astronaut, "-vf", "scale=170:170:flags=area", photo])
        return photo
    }

    @Test("a photo whose face is too small to look sharp (shrunk, or one of a group) is used, with a warning that says so; the shipped one gets none")
    func smallPhotoFaceIsWarnedAbout() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("o.png").path
        let small = try CLIRunner.run(["run", "-i", Self.astronaut, "-o", out, "--face", try Self.smallAstronaut(in: dir)])
        #expect(small.status == 0, "\(small.stderr)")
        let warning = small.stderr.split(separator: "\n").first { $0.hasPrefix("warning: the photo's face is only") }
        #expect(warning?.contains("pixels wide, so the swap will look blurred") == true, "\(small.stderr)")
        // A group photo: its faces are too small for one detector pass over it, so the largest is found on tiles.
        let group = try CLIRunner.run(["run", "-i", Self.astronaut, "-o", out, "--face", Self.solvay])
        #expect(group.status == 0, "\(group.stderr)")
        #expect(group.stderr.contains("warning: the photo's face is only"), "\(group.stderr)")
        let shipped = try CLIRunner.run(["run", "-i", Self.astronaut, "-o", out, "--face", Self.astronaut])
        #expect(shipped.status == 0, "\(shipped.stderr)")
        #expect(!shipped.stderr.contains("warning"), "\(shipped.stderr)")
    }

    @Test("video output carries the provenance tag unless --no-tag; --label burns text in")
    func provenance() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tagged = dir.appendingPathComponent("tagged.mp4").path
        let untagged = dir.appendingPathComponent("untagged.mp4").path
        let pattern = "lavfi:testsrc2=size=320x240:rate=10:duration=0.5"
        try CLIRunner.run(["run", "-i", pattern, "-o", tagged, "--label", "AI-altered"])
        try CLIRunner.run(["run", "-i", pattern, "-o", untagged, "--no-tag"])
        #expect(try MediaProbe.probe(tagged).tags["synthetic_media"]?.contains("facelive") == true)
        #expect(try MediaProbe.probe(untagged).tags["synthetic_media"] == nil)
        let labelled = try Self.image(tagged), plain = try Self.image(untagged)
        // The label sits in the bottom-left corner: a black box with white text there, same picture elsewhere.
        var whiteInCorner = 0
        for y in 190..<240 { for x in 0..<160 where labelled[x, y].r > 200 && labelled[x, y].g > 200 && labelled[x, y].b > 200 {
            whiteInCorner += 1
        } }
        #expect(whiteInCorner > 20)
        #expect(labelled[300, 20] == plain[300, 20])
    }
}
