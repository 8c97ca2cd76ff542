import Foundation
import Stream
import Testing

/// Inputs that are valid but unusual: several video streams, phone rotation, odd or tiny sizes, an MP4 on a
/// pipe, a frame-counting container. facelive reads them as `ffmpeg` does, or says clearly why it cannot.
@Suite("Unusual inputs are read as ffmpeg reads them")
struct InputQuirksTests {
    static func firstImage(_ path: String) throws -> RGBImage {
        let source = try MediaSource(path)
        guard let frame = try source.nextFrame() else { throw FFmpegTool.Failure(description: "no frame in \(path)") }
        return try frame.image
    }

    static func meanDifference(_ a: RGBImage, _ b: RGBImage) -> Double {
        guard a.width == b.width, a.height == b.height else { return .infinity }
        return Double(zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.pixels.count)
    }

    @Test("of two video streams, the one ffmpeg maps is read; --stream N picks another; a wrong N is one line")
    func streamSelection() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let two = dir.appendingPathComponent("two.mkv").path
        // Neither flagged default, #1 larger: ffmpeg takes #1, av_find_best_stream #0.
        try FFmpegTool.run(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=0.4", "-f", "lavfi", "-i", "smptebars=s=640x480:d=0.4",
                            "-map", "0", "-map", "1", "-c:v", "ffv1", "-disposition:v:0", "0", "-disposition:v:1", "0", two])
        let byFFmpeg = dir.appendingPathComponent("ffmpeg.png").path
        try FFmpegTool.run(["-i", two, "-frames:v", "1", byFFmpeg])
        let reference = try Self.firstImage(byFFmpeg)

        for (extra, expected) in [([String](), reference.width), (["--stream", "0"], 320), (["--stream", "1"], 640)] {
            let out = dir.appendingPathComponent("out\(extra.joined()).png").path
            let result = try CLIRunner.run(["convert", "-i", two, "-o", out] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let image = try Self.firstImage(out)
            #expect(image.width == expected, "\(extra): \(image.width)")
            #expect(extra.isEmpty || expected != reference.width || extra == ["--stream", "1"])
            if extra.isEmpty { #expect(Self.meanDifference(image, reference) < 2, "same stream and picture as ffmpeg") }
        }
        let wrong = try CLIRunner.run(["convert", "-i", two, "-o", dir.appendingPathComponent("x.mp4").path, "--stream", "2"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr == "Error: cannot read \(two): there is no stream #2; it has 2: #0 video, #1 video\n")
    }

    @Test("a phone video's rotation is applied: picture and size as ffmpeg shows them, said once", arguments: ["90", "180", "270"])
    func rotation(_ degrees: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.mp4").path, rotated = dir.appendingPathComponent("rotated.mp4").path
        try FFmpegTool.run(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=0.4", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", plain])
        try FFmpegTool.run(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=\(degrees)", rotated])
        let byFFmpeg = dir.appendingPathComponent("ffmpeg.png").path
        try FFmpegTool.run(["-i", rotated, "-frames:v", "1", byFFmpeg])
        let out = dir.appendingPathComponent("out.mkv").path
        let result = try CLIRunner.run(["convert", "-i", rotated, "-o", out, "--crf", "0"])
        #expect(result.status == 0)
        #expect(result.stderr.components(separatedBy: "display matrix").count == 2, "one note: \(result.stderr)")
        let image = try Self.firstImage(out), reference = try Self.firstImage(byFFmpeg)
        #expect(image.width == reference.width && image.height == reference.height)
        #expect(Self.meanDifference(image, reference) < 3, "the picture turned as ffmpeg turns it")
        #expect(try MediaProbe.probe(out).streams.first?.width == reference.width, "the output stands upright without a matrix")
    }

    @Test("a sideways-stored portrait with a rotation tag: the face is found upright where it is in the photo")
    func rotatedFaceIsUpright() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sideways = dir.appendingPathComponent("sideways.mp4").path, tagged = dir.appendingPathComponent("tagged.mp4").path
        // Stored turned a quarter clockwise, as a phone held sideways stores it; the tag turns it back for display.
        try FFmpegTool.run(["-loop", "1", "-i", RunCommandTests.astronaut, "-t", "0.2", "-vf", "transpose=clock",
                            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", sideways])
        try FFmpegTool.run(["-i", sideways, "-c", "copy", "-metadata:s:v:0", "rotate=90", tagged])
        let upright = try #require(try DetectionLog.detect(RunCommandTests.astronaut).frames.first?.faces.first)
        let found = try #require(try DetectionLog.detect(tagged).frames.first?.faces.first)
        for i in 0..<4 { #expect(abs(found.box[i] - upright.box[i]) < upright.box[2] * 0.1, "box \(found.box) vs \(upright.box)") }
        // Eyes (keypoints 0, 1) above the mouth (3): upright.
        #expect(found.keypoints[0][1] < found.keypoints[3][1] && found.keypoints[1][1] < found.keypoints[3][1])
    }

    @Test("an odd size is rounded down with one note; a 1x1 picture is refused in one line unless --size scales it")
    func oddAndTinySizes() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let odd = dir.appendingPathComponent("odd.mkv").path, tiny = dir.appendingPathComponent("tiny.mkv").path
        try FFmpegTool.run(["-f", "lavfi", "-i", "testsrc2=s=640x480:d=0.2", "-vf", "scale=641:479", "-pix_fmt", "yuv444p", "-c:v", "ffv1", odd])
        try FFmpegTool.run(["-f", "lavfi", "-i", "color=s=2x2:d=0.2", "-vf", "scale=1:1", "-pix_fmt", "yuv444p", "-c:v", "ffv1", tiny])
        let result = try CLIRunner.run(["convert", "-i", odd, "-o", dir.appendingPathComponent("o.mp4").path])
        #expect(result.status == 0)
        #expect(result.stderr == "note: 641x479 rounded down to 640x478: the encoder's 4:2:0 chroma needs even sizes\n")
        let refused = try CLIRunner.run(["convert", "-i", tiny, "-o", dir.appendingPathComponent("t.mp4").path])
        #expect(refused.status == 1)
        #expect(refused.stderr == "Error: cannot open input \(tiny): the picture is 1x1, too small to process (at least 2x2; --size scales it)\n")
        #expect(try CLIRunner.run(["convert", "-i", tiny, "-o", dir.appendingPathComponent("t.mp4").path, "--size", "16x16"]).status == 0)
    }

    @Test("AVI output carries the input's frame rate, one frame per frame")
    func aviFrameRate() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ten = dir.appendingPathComponent("ten.mp4").path, avi = dir.appendingPathComponent("ten.avi").path
        try FFmpegTool.run(["-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "libx264", "-preset", "ultrafast", ten])
        #expect(try CLIRunner.run(["convert", "-i", ten, "-o", avi]).status == 0)
        let stream = try #require(try MediaProbe.probe(avi).streams.first)
        #expect(stream.frameRate == 10)
        #expect(stream.frames == 10)
    }

    @Test("an MP4 with its index at the end, piped in: the message says why and what to do")
    func pipedMP4() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = dir.appendingPathComponent("clip.mp4").path
        // Large enough that the pictures are not all still in the probe buffer when the index turns up.
        try FFmpegTool.run(["-f", "lavfi", "-i", "testsrc2=s=320x240:d=5", "-c:v", "libx264", "-preset", "ultrafast", clip])
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["convert", "-i", "-", "-o", dir.appendingPathComponent("o.mkv").path]
        let input = Pipe(), err = Pipe()
        process.standardInput = input  // a pipe, not the file: no seeking back to the pictures
        process.standardError = err
        try process.run()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        let feeder = Thread {
            try? input.fileHandleForWriting.write(contentsOf: bytes)
            try? input.fileHandleForWriting.close()
        }
        feeder.start()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(stderr.hasPrefix("Error: cannot open input -: an MP4/MOV with its index (moov) at the end cannot be read from a pipe"), "\(stderr)")
        #expect(stderr.contains("faststart") && stderr.split(separator: "\n").count == 1)
    }

    @Test("a --face photo that is not a picture: one line naming the option, no FFmpeg log")
    func garbagePhoto() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let photo = dir.appendingPathComponent("face.png").path
        try Data("not a picture\n".utf8).write(to: URL(fileURLWithPath: photo))
        let result = try CLIRunner.run(["run", "-i", "lavfi:testsrc2=s=160x120:d=0.2", "-o", dir.appendingPathComponent("o.mp4").path,
                                        "--face", photo])
        #expect(result.status == 64 || result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: cannot use --face \(photo): "), "\(result.stderr)")
    }
}
