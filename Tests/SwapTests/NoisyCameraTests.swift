import Face
import Imaging
import Stream
import Testing
@testable import Swap

extension GrainMatch {
    /// Adds grain to `face` (the same space as `target`, the frame under it) where `mask` reaches, outside `spare`:
    /// ``plate(of:mask:spare:toFrame:)`` and ``Plate/add(to:)`` for a face already in the frame's place. Returns the
    /// luma grain's σ (levels; 0 when none was added).
    @discardableResult
    func apply(to face: inout RGBImage, target: RGBImage, mask: AlphaMask, spare: AlphaMask? = nil) -> Float {
        precondition(face.width == target.width && face.height == target.height, "image sizes differ")
        precondition(mask.width == face.width && mask.height == face.height, "mask size differs")
        precondition(spare.map { $0.width == face.width && $0.height == face.height } ?? true, "spare size differs")
        return plate(of: target, mask: mask, spare: spare.map { [$0] } ?? [], toFrame: .identity)?.add(to: &face) ?? 0
    }
}

/// A noisy camera (a webcam in a dim room): its grain must not be taken for glasses, and a smooth new face takes it.
@Suite struct NoisyCameraTests {
    static let points = AstronautPhoto.landmarks.points2D

    /// `image` with zero-mean noise of σ `sigma` levels added to each channel of each pixel (the same for a seed).
    static func noisy(_ image: RGBImage, sigma: Float, seed: UInt64 = 1) -> RGBImage {
        var out = image
        var state = seed
        func uniform() -> Float {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state % 1_000_000) / 1_000_000 - 0.5
        }
        // A sum of four uniforms: near-Gaussian with σ = √(4/12).
        let scale = sigma / (4 / Float(12)).squareRoot()
        out.pixels = image.pixels.map { v in
            let n = (uniform() + uniform() + uniform() + uniform()) * scale
            return UInt8(min(max((Float(v) + n).rounded(), 0), 255))
        }
        return out
    }

    /// A `width` × `height` image of one colour.
    static func plain(_ width: Int, _ height: Int, _ colour: (UInt8, UInt8, UInt8)) -> RGBImage {
        RGBImage(width: width, height: height,
                 pixels: [UInt8]((0..<(width * height)).flatMap { _ in [colour.0, colour.1, colour.2] }))
    }

    /// The luma noise σ (levels) of `image` over `mask` > 0.5 (``NoiseLevel``).
    static func noise(_ image: RGBImage, where mask: AlphaMask) -> Float {
        var level = NoiseLevel()
        image.pixels.withUnsafeBufferPointer { p in
            for y in 1..<(image.height - 1) {
                for x in 1..<(image.width - 1) where mask[x, y] > 0.5 {
                    level.add(GrainMatch.lumaResponse(p.baseAddress!, at: 3 * (y * image.width + x), width: image.width))
                }
            }
        }
        return level.sigma
    }

    /// The face oval, shrunk by a tenth of its width: where a merge lays the new face whole.
    static var faceInterior: AlphaMask {
        let oval = FaceMeshTopology.faceOval.map { points[$0] }
        var mask = PolygonRasterizer.fill(oval, width: AstronautPhoto.image.width, height: AstronautPhoto.image.height)
        mask.erode(pixels: Int(0.1 * BoundingBox(bounding: oval).width))
        return mask
    }

    @Test func theNoiseOfTheEyeBandIsMeasured() throws {
        let axis = try #require(EyeAxis(Self.points))
        let band = try #require(EyeBand(axis: axis, across: -0.75...0.75, down: -0.45...0.45, in: AstronautPhoto.image))
        let clean = NoiseLevel.sigma(ofPlane: band.luma(of: AstronautPhoto.image)) * 255
        let noisy = NoiseLevel.sigma(ofPlane: band.luma(of: Self.noisy(AstronautPhoto.image, sigma: 6))) * 255
        // The scanned photo's own grain: about 2.8 levels (the shared clips measure 0.2–1.0).
        #expect(clean > 1 && clean < 4, "grain measured \(clean) levels")
        // Luma averages the channels' independent noise: σ 6 per channel is σ ≈ 4.0 in luma, on top of the grain.
        let added = (noisy * noisy - clean * clean).squareRoot()
        #expect(added > 3.4 && added < 4.6, "noise added \(added) levels")
    }

    @Test func aNoisyFaceIsNotTakenForOneWithGlasses() throws {
        let clean = try #require(GlassesDetector.detect(in: AstronautPhoto.image, points: Self.points))
        let noisy = try #require(GlassesDetector.detect(in: Self.noisy(AstronautPhoto.image, sigma: 10), points: Self.points))
        #expect(clean.evidence < GlassesDetector.absentBelow)
        // Unsmoothed, every strip reads as crossed (evidence 1) and the merger kept patches of the noisy skin.
        #expect(noisy.evidence < GlassesDetector.absentBelow, "evidence \(noisy.evidence)")
    }

    @Test func glassesSeenThroughNoiseAreStillFound() throws {
        let face = Self.noisy(GlassesDetectorTests.face(glasses: true), sigma: 10)
        let found = try #require(GlassesDetector.detect(in: face, points: GlassesDetectorTests.points))
        #expect(found.evidence > GlassesDetector.presentAbove)
        #expect(found.lines.values.filter { $0 > 0.5 }.count > 100)
    }

    /// A flat new face merged over `frame` with the grain match at `strength`.
    static func merged(_ frame: RGBImage, grain strength: Float) -> RGBImage {
        var options = FaceMerger.Options()
        options.grain.strength = strength
        var out = frame
        FaceMerger(options: options).merge(SwappedFace.flat((200, 150, 125), like: frame),
                                           landmarks: AstronautPhoto.landmarks, into: &out)
        return out
    }

    @Test func aSmoothNewFaceTakesTheCamerasGrain() {
        let frame = Self.noisy(AstronautPhoto.image, sigma: 6)
        let interior = Self.faceInterior
        let camera = Self.noise(frame, where: interior)
        let with = Self.merged(frame, grain: 1), without = Self.merged(frame, grain: 0)
        #expect(Self.noise(without, where: interior) < 0.2 * camera, "camera \(camera)")
        let grain = Self.noise(with, where: interior)
        #expect(grain > 0.85 * camera && grain < 1.15 * camera, "grain \(grain), camera \(camera)")
        // Grain, not a change of colour: the interior's mean stays within half a level.
        func mean(_ image: RGBImage) -> Double {
            var sum = 0.0, n = 0.0
            for y in 0..<image.height { for x in 0..<image.width where interior[x, y] > 0.5 { sum += Double(image[x, y].g); n += 1 } }
            return sum / n
        }
        #expect(abs(mean(with) - mean(without)) < 0.5)
    }

    /// The colour noise σ (levels) of `image` over `mask` > 0.5: Cb and Cr of 2 × 2 blocks from (`offset`,
    /// `offset`) (from 0: a video's chroma samples), with ``NoiseLevel`` over blocks whose pixels all lie inside.
    static func colourNoise(_ image: RGBImage, where mask: AlphaMask, offset: Int = 0) -> SIMD2<Float> {
        let (columns, rows) = ((image.width - offset) / 2, (image.height - offset) / 2)
        var planes = [[Float]](repeating: [Float](repeating: 0, count: columns * rows), count: 2)
        var inside = [Bool](repeating: false, count: columns * rows)
        for v in 0..<rows {
            for u in 0..<columns {
                var sum = SIMD3<Float>.zero
                var all = true
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let (x, y) = (offset + 2 * u + dx, offset + 2 * v + dy)
                    sum += SIMD3(Float(image[x, y].r), Float(image[x, y].g), Float(image[x, y].b))
                    all = all && mask[x, y] > 0.5
                }
                sum /= 4
                planes[0][v * columns + u] = -0.168736 * sum.x - 0.331264 * sum.y + 0.5 * sum.z
                planes[1][v * columns + u] = 0.5 * sum.x - 0.418688 * sum.y - 0.081312 * sum.z
                inside[v * columns + u] = all && u > 0 && v > 0 && u < columns - 1 && v < rows - 1
            }
        }
        var sigma = SIMD2<Float>.zero
        for c in 0..<2 {
            var level = NoiseLevel()
            planes[c].withUnsafeBufferPointer { p in
                for i in inside.indices where inside[i] {
                    level.add(NoiseLevel.response(p.baseAddress!, at: i, step: 1, row: columns))
                }
            }
            sigma[c] = level.sigma
        }
        return sigma
    }

    @Test func aSmoothNewFaceTakesTheCamerasColourSpeckle() {
        // Independent noise per channel, as a webcam's: coloured as well as light and dark.
        let frame = Self.noisy(AstronautPhoto.image, sigma: 6)
        let interior = Self.faceInterior
        let camera = Self.colourNoise(frame, where: interior)
        let with = Self.colourNoise(Self.merged(frame, grain: 1), where: interior)
        let without = Self.colourNoise(Self.merged(frame, grain: 0), where: interior)
        // Blocks a pixel off the chroma grid straddle four grain blocks: they read far less (per-pixel grain would
        // read the same).
        let offGrid = Self.colourNoise(Self.merged(frame, grain: 1), where: interior, offset: 1)
        for c in 0..<2 {
            #expect(without[c] < 0.2 * camera[c], "channel \(c): camera \(camera[c]), without \(without[c])")
            #expect(with[c] > 0.8 * camera[c] && with[c] < 1.15 * camera[c],
                    "channel \(c): camera \(camera[c]), with \(with[c])")
            #expect(offGrid[c] < 0.8 * with[c], "channel \(c): on the grid \(with[c]), off it \(offGrid[c])")
        }
    }

    @Test func greyNoiseBringsNoColourSpeckle() {
        // The same noise on R, G and B, light and dark only, over skin without colour noise of its own.
        var frame = Self.plain(AstronautPhoto.image.width, AstronautPhoto.image.height, (190, 145, 125))
        let grey = Self.noisy(Self.plain(frame.width, frame.height, (128, 128, 128)), sigma: 6)
        for i in frame.pixels.indices {
            frame.pixels[i] = UInt8(clamping: Int(frame.pixels[i]) + Int(grey.pixels[i - i % 3]) - 128)
        }
        let interior = Self.faceInterior
        let out = Self.merged(frame, grain: 1)
        #expect(Self.noise(out, where: interior) > 0.8 * Self.noise(frame, where: interior))
        let colour = Self.colourNoise(out, where: interior)
        #expect(colour.x < 0.5 && colour.y < 0.5, "colour noise \(colour)")
    }

    /// A trained model's swap of a flat face over `frame`: a crop of its own resolution, resampled onto the frame
    /// through the alignment (not a whole-pixel move), alpha-blended so none of the frame's own noise is left in it.
    static func mergedCrop(over frame: RGBImage, grain: Float) throws -> RGBImage {
        let aligned = try FaceAligner().align(frame, landmarks: AstronautPhoto.landmarks)
        #expect(aligned.alignedToImage.integerTranslation == nil)
        let crop = Self.plain(aligned.resolution, aligned.resolution, (200, 150, 125))
        var options = FaceMerger.Options()
        (options.grain.strength, options.blend) = (grain, .alpha)
        var out = frame
        FaceMerger(options: options).merge(SwappedFace(image: crop, mask: nil, toFrame: aligned.alignedToImage),
                                           landmarks: AstronautPhoto.landmarks, into: &out)
        return out
    }

    @Test func aNewFaceResampledOntoTheFrameTakesGrainOfTheFramesPixelSize() throws {
        let frame = Self.noisy(AstronautPhoto.image, sigma: 6)
        let interior = Self.faceInterior
        let camera = Self.noise(frame, where: interior)
        #expect(Self.noise(try Self.mergedCrop(over: frame, grain: 0), where: interior) < 0.2 * camera)
        // Measured pixel by pixel in the frame: grain drawn in the crop and enlarged would measure far less.
        let grain = Self.noise(try Self.mergedCrop(over: frame, grain: 1), where: interior)
        #expect(grain > 0.85 * camera && grain < 1.15 * camera, "grain \(grain), camera \(camera)")
    }

    @Test func aCleanCameraIsLeftAsItWasWhateverTheSwap() throws {
        // A clean camera's faint noise (8-bit video measures 0.3–0.5 levels), under a mesh swap and a trained
        // model's crop: below the floor, nothing is added.
        let frame = Self.noisy(Self.plain(AstronautPhoto.image.width, AstronautPhoto.image.height, (190, 145, 125)),
                               sigma: 0.6)
        let camera = Self.noise(frame, where: Self.faceInterior)
        #expect(camera > 0.2 && camera < 0.75, "camera \(camera)")
        let mesh = Self.merged(frame, grain: 1).pixels == Self.merged(frame, grain: 0).pixels
        #expect(mesh)
        let crop = try Self.mergedCrop(over: frame, grain: 1).pixels == Self.mergedCrop(over: frame, grain: 0).pixels
        #expect(crop)
    }

    @Test func aHalfOpaqueNewFaceIsBroughtToTheCamerasGrainToo() {
        let frame = Self.noisy(AstronautPhoto.image, sigma: 6)
        let interior = Self.faceInterior
        let camera = Self.noise(frame, where: interior)
        var options = FaceMerger.Options()
        options.opacity = 0.5
        var out = frame
        FaceMerger(options: options).merge(SwappedFace.flat((200, 150, 125), like: frame),
                                           landmarks: AstronautPhoto.landmarks, into: &out)
        // Half the camera's noise is left in the blend; the grain makes up the rest, not half of it.
        let grain = Self.noise(out, where: interior)
        #expect(grain > 0.85 * camera && grain < 1.15 * camera, "grain \(grain), camera \(camera)")
    }

    @Test func aNewFaceAsNoisyAsTheCamerasTakesNextToNoGrain() {
        let interior = Self.faceInterior
        let target = Self.noisy(AstronautPhoto.image, sigma: 6)
        let camera = Self.noise(target, where: interior)
        for seed in [UInt64(3), 7, 11, 19] {
            var face = Self.noisy(AstronautPhoto.image, sigma: 6, seed: seed)
            let before = Self.noise(face, where: interior)
            let grain = GrainMatch(strength: 1).apply(to: &face, target: target, mask: interior)
            // The estimates differ by a few per cent; the grain fades to 0 as the face reaches 0.95 of the camera's.
            #expect(grain < 0.4 * camera, "seed \(seed): grain \(grain), camera \(camera)")
            #expect(Self.noise(face, where: interior) < 1.1 * before, "seed \(seed)")
        }
    }

    @Test func theTargetsCreasesAreNotCopiedOnlyItsNoise() {
        // Flat skin with noise of σ 4 and a crease 2 px wide, 60 levels deep; the new face flat.
        var target = Self.noisy(Self.plain(160, 160, (180, 140, 120)), sigma: 4)
        for y in 40..<120 { for x in 79...80 { target[x, y] = (120, 80, 60) } }
        var face = Self.plain(160, 160, (170, 130, 110))
        let mask = AlphaMask(width: 160, height: 160, value: 1)
        let grain = GrainMatch(strength: 1).apply(to: &face, target: target, mask: mask)
        // σ 4 per channel is σ 4 · √(0.299² + 0.587² + 0.114²) ≈ 2.7 in luma.
        #expect(grain > 2.3 && grain < 3.1, "grain \(grain)")
        // Along the crease the new face is as dark as beside it: the mean change there is noise, not 60 levels.
        let along = (40..<120).map { y in Float(face[80, y].r) }.reduce(0, +) / 80
        let beside = (40..<120).map { y in Float(face[100, y].r) }.reduce(0, +) / 80
        #expect(abs(along - beside) < 1.5, "along \(along), beside \(beside)")
        #expect(Self.noise(face, where: mask) > 2.3)
    }

    @Test func sparedOpeningsKeepTheirPixels() {
        let target = Self.noisy(Self.plain(120, 120, (180, 140, 120)), sigma: 6)
        var face = Self.plain(120, 120, (170, 130, 110))
        var spare = AlphaMask(width: 120, height: 120)
        for y in 50..<70 { for x in 50..<70 { spare[x, y] = 1 } }
        GrainMatch(strength: 1).apply(to: &face, target: target, mask: AlphaMask(width: 120, height: 120, value: 1),
                                      spare: spare)
        #expect((50..<70).allSatisfy { y in (50..<70).allSatisfy { x in face[x, y] == (170, 130, 110) } })
        #expect((0..<120).contains { x in face[x, 10] != (170, 130, 110) })
    }
}
