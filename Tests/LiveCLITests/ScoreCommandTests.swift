import Foundation
import Testing

/// `facelive score` on the public-domain astronaut portrait: a pasted box is caught, the original scores nothing.
@Suite("facelive score") struct ScoreCommandTests {
    static let astronaut = CLIRunner.repoRoot.appendingPathComponent("Tests/Fixtures/astronaut_public_domain.png").path

    struct Figures: Decodable {
        var frames: Int
        var scoredFrames: Int
        var seamRatio: Double?
        var colourExcess: Double?
    }

    @Test("a hard-edged tinted box over the face: seam and colour step are reported as poor")
    func pastedBox() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pasted = dir.appendingPathComponent("pasted.png").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        ffmpeg.arguments = ["ffmpeg", "-v", "error", "-y", "-i", Self.astronaut,
                            "-vf", "drawbox=x=200:y=80:w=80:h=90:color=red@0.25:t=fill", pasted]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        #expect(ffmpeg.terminationStatus == 0)
        let json = try CLIRunner.run(["score", "-i", pasted, "--reference", Self.astronaut, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let figures = try JSONDecoder().decode(Figures.self, from: Data(json.stdout.utf8))
        #expect(figures.frames == 1 && figures.scoredFrames == 1)
        #expect((figures.seamRatio ?? 0) > 1.03)
        #expect((figures.colourExcess ?? 0) > 1)
        let table = try CLIRunner.run(["score", "-i", pasted, "--reference", Self.astronaut])
        #expect(table.stdout.contains("seam ratio") && table.stdout.contains("poor"))
    }

    @Test("the original against itself: nothing replaced, nothing scored")
    func identical() throws {
        let result = try CLIRunner.run(["score", "-i", Self.astronaut, "--reference", Self.astronaut, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let figures = try JSONDecoder().decode(Figures.self, from: Data(result.stdout.utf8))
        #expect(figures.frames == 1 && figures.scoredFrames == 0 && figures.seamRatio == nil)
    }

    @Test("bad input: a missing reference and --max-frames 0 fail with one line")
    func badInput() throws {
        let missing = try CLIRunner.run(["score", "-i", Self.astronaut, "--reference", "/nonexistent/clip.mp4"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nonexistent"))
        let zero = try CLIRunner.run(["score", "-i", Self.astronaut, "--reference", Self.astronaut, "--max-frames", "0"])
        #expect(zero.status != 0)
        #expect(zero.stderr.contains("--max-frames"))
    }
}
