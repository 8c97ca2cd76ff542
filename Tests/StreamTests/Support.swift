import Foundation
@testable import Stream

/// Paths and helpers shared by the stream tests.
enum TestMedia {
    /// The repository root (three levels above this file).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared` beside the checkout, when present (CI has it; a fresh clone may not).
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedVideos: [URL] {
        let folder = shared.appendingPathComponent("media/video")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".mp4") }.sorted().map { folder.appendingPathComponent($0) }
    }
    static var hasSharedMedia: Bool { !sharedVideos.isEmpty }

    /// FFmpeg's own log chatter off for the test run.
    static let quietFFmpeg: Void = FFmpegLog.configure(verbose: false)

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        _ = quietFFmpeg
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A test picture that changes with `index`: smooth gradients plus a moving square. Like natural video, its
    /// colour changes smoothly (the square sits on even pixels), so 4:2:0 chroma subsampling loses little.
    static func pattern(width: Int, height: Int, index: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let square = (x: (index * 6) % max(2, width - 40), y: (index * 4) % max(2, height - 40))
        for y in 0..<height {
            for x in 0..<width {
                let inSquare = x >= square.x && x < square.x + 40 && y >= square.y && y < square.y + 40
                let wave = abs((x + y + index * 3) % 512 - 256)
                image[x, y] = inSquare
                    ? (200, 60, 60)
                    : (UInt8((x * 255) / width), UInt8((y * 255) / height), UInt8(min(255, wave)))
            }
        }
        return image
    }

    /// Peak signal-to-noise ratio between two images of the same size, in dB.
    static func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var sum = 0.0
        for i in a.pixels.indices {
            let d = Double(a.pixels[i]) - Double(b.pixels[i])
            sum += d * d
        }
        let mse = sum / Double(a.pixels.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// Decodes every frame of `path` as RGB.
    static func decodeAll(_ path: String) throws -> [(time: Double, image: RGBImage)] {
        let source = try MediaSource(path)
        var frames: [(Double, RGBImage)] = []
        while let frame = try source.nextFrame() { frames.append((frame.time, try frame.image)) }
        return frames
    }
}

/// A source of generated RGB frames at a fixed rate (stands in for a decoder in tests).
final class PatternSource: FrameSource, @unchecked Sendable {
    let video: VideoStreamInfo
    let audio: AudioTrack? = nil
    let isLive = false
    var audioHandler: (@Sendable (AudioPacket) -> Void)?
    private let count: Int
    private var next = 0

    init(width: Int, height: Int, fps: Int, count: Int) {
        self.count = count
        video = VideoStreamInfo(codec: "rawvideo", width: width, height: height, sourceWidth: width,
                                sourceHeight: height, pixelFormat: "rgb24", frameRate: Double(fps), duration: nil,
                                frameCount: count, timeBaseNum: 1, timeBaseDen: Int32(fps))
    }

    func nextFrame() throws(StreamError) -> VideoFrame? {
        guard next < count else { return nil }
        defer { next += 1 }
        return VideoFrame(image: TestMedia.pattern(width: video.width, height: video.height, index: next),
                          index: next, fps: Int(video.frameRate))
    }

    func stop() {}
}
