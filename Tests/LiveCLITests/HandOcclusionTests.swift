import Foundation
import Stream
import Testing

/// Hands stay in front of the swapped face: a real hand, cut out of one shared clip with a colour key, is laid over
/// the face of another (rising from below the frame, then resting over mouth and cheek) with its exact mask kept;
/// the swap must leave the hand's pixels as they were while it still swaps the face around it.
@Suite("hand occlusion on a composite",
       .enabled(if: FileManager.default.fileExists(atPath: CLIRunner.shared.appendingPathComponent("media/video").path),
                "../shared/media is absent: hand occlusion tests skipped"))
struct HandOcclusionTests {
    static let video = CLIRunner.shared.appendingPathComponent("media/video")

    /// A segmented hand: its pixels and a binary mask of the same size.
    struct Cutout {
        var image: RGBImage
        var mask: [Bool]
    }

    /// The back of a hand reaching for a glass, frame 120 of the sitcom clip: skin against dark hair and a glass, so
    /// a colour key (reddish and bright) and the largest connected region with its holes filled cut it out exactly.
    static func handCutout() throws -> Cutout {
        let source = try MediaSource(video.appendingPathComponent("multiface_720p_sitcom.mp4").path)
        var frame: RGBImage?
        for _ in 0...120 { frame = try source.nextFrame()?.image }
        let image = try #require(frame)
        let (x0, y0, w, h) = (680, 330, 220, 190)
        var crop = RGBImage(width: w, height: h)
        var key = [Bool](repeating: false, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let p = image[x0 + x, y0 + y]
                crop[x, y] = p
                key[y * w + x] = p.r > 110 && Int(p.r) > Int(p.b) + 25 && Int(p.r) > Int(p.g) + 5
            }
        }
        let mask = Regions.fillHoles(Regions.largest(key, width: w, height: h), width: w, height: h)
        return Cutout(image: crop, mask: mask)
    }

    /// The mask's centre of mass in cut-out pixels.
    static func centroid(_ cutout: Cutout) -> SIMD2<Float> {
        var sum = SIMD2<Float>.zero, n: Float = 0
        for (i, inside) in cutout.mask.enumerated() where inside {
            sum += SIMD2(Float(i % cutout.image.width), Float(i / cutout.image.width))
            n += 1
        }
        return sum / max(n, 1)
    }

    @Test("≥ 95 % of the hand's pixels over the face come out unchanged; the face around it is swapped")
    func handStaysInFront() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hand = try Self.handCutout()
        let handArea = hand.mask.filter { $0 }.count
        #expect((10_000...20_000).contains(handArea), "the colour key found \(handArea) hand pixels")
        let centre = Self.centroid(hand)

        // The target clip and where its face is (from facelive's own detection of the untouched frames).
        let target = Self.video.appendingPathComponent("talk_woman_d10.mp4").path
        let frames = 45, entering = 15
        let faces = try DetectionLog.detect(target, ["--max-frames", "\(frames)", "--no-hands"])
        let source = try MediaSource(target)
        let composite = dir.appendingPathComponent("composite.mp4").path
        var settings = EncoderSettings()
        settings.crf = 10
        let sink = try MediaSink(composite, video: source.video, audio: nil, settings: settings)
        var masks: [[Bool]] = []
        for i in 0..<frames {
            var image = try #require(try source.nextFrame()?.image)
            let face = try #require(faces.frames[i].faces.first, "no face on frame \(i) of the target")
            let lm = face.landmarks.map { SIMD2($0[0], $0[1]) }
            let faceHeight = simd_distance(lm[10], lm[152])
            // The hand spans 0.9 face heights, centred a little below and right of the mouth; it rises into place
            // from below the frame over the first frames.
            let scale = 0.9 * faceHeight / Float(hand.image.height)
            var origin = lm[13] + SIMD2(0.1, 0.1) * faceHeight - centre * scale
            let rise = max(0, Float(entering - i) / Float(entering))
            origin.y += rise * (Float(image.height) - origin.y)
            masks.append(Self.paste(hand, scale: scale, at: origin, into: &image))
            try sink.write(VideoFrame(image: image, index: i, fps: 30))
        }
        try sink.finish(complete: true)

        let withHands = dir.appendingPathComponent("hands.mp4").path, without = dir.appendingPathComponent("none.mp4").path
        for (output, occlusion) in [(withHands, "hands"), (without, "none")] {
            let run = try CLIRunner.run(["run", "-i", composite, "-o", output, "--crf", "10", "--occlusion", occlusion])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let seen = try Self.decode(composite), kept = try Self.decode(withHands), swapped = try Self.decode(without)
        #expect(seen.count == frames && kept.count == frames && swapped.count == frames)

        // Per pixel: the largest channel difference. The face area is what the swap changes without occlusion.
        var handOverFace = 0, handUnchanged = 0, around = 0, aroundSwapped = 0, enteringOverFace = 0, enteringUnchanged = 0
        let changed = 24, noise = 12
        for i in 0..<min(frames, seen.count, kept.count, swapped.count) {
            let (w, h) = (seen[i].width, seen[i].height)
            let near = Regions.dilate(masks[i], width: w, height: h, radius: 12)
            for y in 0..<h {
                for x in 0..<w {
                    let j = y * w + x
                    guard Self.difference(swapped[i][x, y], seen[i][x, y]) > changed else { continue }
                    if masks[i][j] {
                        let same = Self.difference(kept[i][x, y], seen[i][x, y]) <= noise
                        handOverFace += 1
                        if same { handUnchanged += 1 }
                        if i < entering { enteringOverFace += 1; if same { enteringUnchanged += 1 } }
                    } else if !near[j] {
                        around += 1
                        if Self.difference(kept[i][x, y], seen[i][x, y]) > changed { aroundSwapped += 1 }
                    }
                }
            }
        }
        let keptShare = Double(handUnchanged) / Double(max(handOverFace, 1))
        let swappedShare = Double(aroundSwapped) / Double(max(around, 1))
        print("hand occlusion: \(handUnchanged)/\(handOverFace) hand pixels over the face unchanged (\(keptShare)); entering \(enteringUnchanged)/\(enteringOverFace); face around the hand swapped \(aroundSwapped)/\(around) (\(swappedShare))")
        #expect(handOverFace > 20 * frames, "the hand hardly covered the face: \(handOverFace) pixel-frames")
        #expect(keptShare >= 0.95, "only \(keptShare) of the hand's pixels over the face kept")
        #expect(swappedShare >= 0.9, "only \(swappedShare) of the face around the hand swapped")
    }

    /// Pastes the cut-out scaled by `scale` (nearest neighbour, so the mask stays exact) with its top-left at
    /// `origin`; returns the frame's hand mask.
    static func paste(_ cutout: Cutout, scale: Float, at origin: SIMD2<Float>, into image: inout RGBImage) -> [Bool] {
        var mask = [Bool](repeating: false, count: image.width * image.height)
        let w = Int((Float(cutout.image.width) * scale).rounded()), h = Int((Float(cutout.image.height) * scale).rounded())
        let ox = Int(origin.x.rounded()), oy = Int(origin.y.rounded())
        for v in 0..<h {
            for u in 0..<w {
                let (x, y) = (ox + u, oy + v)
                guard x >= 0, y >= 0, x < image.width, y < image.height else { continue }
                let su = min(cutout.image.width - 1, Int(Float(u) / scale)), sv = min(cutout.image.height - 1, Int(Float(v) / scale))
                guard cutout.mask[sv * cutout.image.width + su] else { continue }
                image[x, y] = cutout.image[su, sv]
                mask[y * image.width + x] = true
            }
        }
        return mask
    }

    static func decode(_ path: String) throws -> [RGBImage] {
        let source = try MediaSource(path)
        var images: [RGBImage] = []
        while let frame = try source.nextFrame() { images.append(try frame.image) }
        return images
    }

    static func difference(_ a: (r: UInt8, g: UInt8, b: UInt8), _ b: (r: UInt8, g: UInt8, b: UInt8)) -> Int {
        max(abs(Int(a.r) - Int(b.r)), abs(Int(a.g) - Int(b.g)), abs(Int(a.b) - Int(b.b)))
    }
}

/// Binary-mask helpers for the composite.
enum Regions {
    /// The largest 4-connected region of `mask`.
    static func largest(_ mask: [Bool], width: Int, height: Int) -> [Bool] {
        var label = [Int](repeating: -1, count: mask.count)
        var best = (label: -1, size: 0)
        for start in mask.indices where mask[start] && label[start] < 0 {
            let region = flood(from: start, width: width, height: height) { mask[$0] && label[$0] < 0 }
            for i in region { label[i] = start }
            if region.count > best.size { best = (start, region.count) }
        }
        return label.map { $0 == best.label && best.label >= 0 }
    }

    /// `mask` with every hole (background not connected to the border) filled.
    static func fillHoles(_ mask: [Bool], width: Int, height: Int) -> [Bool] {
        var outside = [Bool](repeating: false, count: mask.count)
        for i in mask.indices where !mask[i] && !outside[i] {
            let (x, y) = (i % width, i / width)
            guard x == 0 || y == 0 || x == width - 1 || y == height - 1 else { continue }
            for j in flood(from: i, width: width, height: height, { !mask[$0] && !outside[$0] }) { outside[j] = true }
        }
        return outside.map { !$0 }
    }

    /// Every pixel within `radius` (a square) of the mask.
    static func dilate(_ mask: [Bool], width: Int, height: Int, radius r: Int) -> [Bool] {
        var rows = [Bool](repeating: false, count: mask.count), out = rows
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] {
                for u in max(0, x - r)...min(width - 1, x + r) { rows[y * width + u] = true }
            }
        }
        for y in 0..<height {
            for x in 0..<width where rows[y * width + x] {
                for v in max(0, y - r)...min(height - 1, y + r) { out[v * width + x] = true }
            }
        }
        return out
    }

    private static func flood(from start: Int, width: Int, height: Int, _ inside: (Int) -> Bool) -> [Int] {
        var seen: Set<Int> = [start], stack = [start], region: [Int] = []
        while let i = stack.popLast() {
            region.append(i)
            let (x, y) = (i % width, i / width)
            for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)] where nx >= 0 && ny >= 0 && nx < width && ny < height {
                let j = ny * width + nx
                if !seen.contains(j) && inside(j) { seen.insert(j); stack.append(j) }
            }
        }
        return region
    }
}

private func simd_distance(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }
