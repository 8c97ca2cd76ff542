import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

/// A face wider than ``MeshSwapper/Options/maxFaceWidth`` is swapped and merged in a shrunk box and pasted back up:
/// the picture must match the swap at the frame's own resolution, at a fraction of the pixels.
@Suite struct ShrunkSwapBoxTests {
    /// The astronaut at three times her size (a close-up), her landmarks moved with her (pixel centres: x → 3x + 1).
    static let frame = AstronautPhoto.image.resized(width: 3 * AstronautPhoto.image.width,
                                                     height: 3 * AstronautPhoto.image.height)
    static let landmarks = FaceLandmarks(
        points: AstronautPhoto.landmarks.points.map { SIMD3(3 * $0.x + 1, 3 * $0.y + 1, 3 * $0.z) },
        presence: AstronautPhoto.landmarks.presence)
    /// The photo: the astronaut with dark stripes across her face, 2 of every 8 photo rows (6 of 24 frame rows, 3.4
    /// of 14 in the shrunk box): detail the swap must carry to the right place.
    static let photo: RGBImage = {
        var photo = AstronautPhoto.image
        let box = BoundingBox(bounding: FaceMeshTopology.faceOval.map { AstronautPhoto.landmarks.points2D[$0] })
        for y in Int(box.y)..<Int(box.y + box.height) where y % 8 < 2 {
            for x in Int(box.x)..<Int(box.x + box.width) {
                let p = photo[x, y]
                photo[x, y] = (p.r / 3, p.g / 3, p.b / 3)
            }
        }
        return photo
    }()

    static func merged(maxFaceWidth: Float?, blend: BlendMode) throws -> (swap: SwappedFace, frame: RGBImage) {
        var options = MeshSwapper.Options()
        options.maxFaceWidth = maxFaceWidth
        let swapper = try MeshSwapper(source: photo, sourceLandmarks: AstronautPhoto.landmarks, options: options)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: frame, landmarks: landmarks)))
        var mergeOptions = FaceMerger.Options()
        mergeOptions.blend = blend
        var out = frame
        FaceMerger(options: mergeOptions).merge(swap, landmarks: landmarks, into: &out)
        return (swap, out)
    }

    /// Every blend pastes a shrunk face's change back up (the alpha blend too, not the crop's own pixels).
    @Test(arguments: [BlendMode.pyramid, .alpha])
    func aWideFaceIsSwappedInAShrunkBoxAndLooksTheSame(blend: BlendMode) throws {
        let ovalWidth = FaceMeshTopology.ovalWidth(Self.landmarks.points2D)
        #expect(ovalWidth > 250)
        let full = try Self.merged(maxFaceWidth: nil, blend: blend)
        let shrunk = try Self.merged(maxFaceWidth: 160, blend: blend)
        #expect(full.swap.toFrame.integerTranslation != nil)
        // The box is the frame box shrunk to a 160-pixel face: a third of the pixels.
        #expect(abs(shrunk.swap.toFrame.scale - ovalWidth / 160) < 0.01)
        #expect(shrunk.swap.toFrame.isAxisAlignedShrink)
        #expect(Float(shrunk.swap.image.width * shrunk.swap.image.height)
                < 0.4 * Float(full.swap.image.width * full.swap.image.height))
        // Where the full-resolution swap changed the face (the stripes, the photo's own light), the shrunk one made
        // the same change, only softer at the stripes' edges (a 0.57 shrink): far closer to it as it lies than moved
        // by two frame rows (two thirds of a photo pixel).
        var changed = 0, change = 0.0
        var error = [Int: Double]()
        for y in 2..<(Self.frame.height - 2) {
            for x in 0..<Self.frame.width {
                let (f, a) = (Self.frame[x, y], full.frame[x, y])
                let d = abs(Double(a.g) - Double(f.g))
                guard d > 8 else { continue }
                changed += 1
                change += d
                for dy in [-2, 0, 2] { error[dy, default: 0] += abs(Double(shrunk.frame[x, y + dy].g) - Double(a.g)) }
            }
        }
        #expect(changed > 20_000)
        let (inPlace, moved) = (error[0]! / Double(changed), min(error[-2]!, error[2]!) / Double(changed))
        #expect(inPlace < 0.3 * change / Double(changed), "mean |shrunk − full| against the change")
        #expect(inPlace < 0.6 * moved, "in place against moved by two rows")
        // Outside the face's box the frame is untouched.
        let box = shrunk.swap.toFrame.boundingBox(ofX: -1...Float(shrunk.swap.image.width),
                                                 y: -1...Float(shrunk.swap.image.height))
        for (x, y) in [(0, 0), (Int(box.x) - 2, Int(box.y) - 2), (Self.frame.width - 1, Self.frame.height - 1)] {
            #expect(shrunk.frame[x, y] == Self.frame[x, y])
        }
    }

    @Test func aFaceNarrowerThanTheLimitKeepsTheFramesResolution() throws {
        var options = MeshSwapper.Options()
        options.maxFaceWidth = 256
        let swapper = try MeshSwapper(source: Self.photo, sourceLandmarks: AstronautPhoto.landmarks, options: options)
        let swap = try #require(try swapper.swap(FaceSwapInput(frame: AstronautPhoto.image,
                                                               landmarks: AstronautPhoto.landmarks)))
        #expect(FaceMeshTopology.ovalWidth(AstronautPhoto.landmarks.points2D) < 256)
        #expect(swap.toFrame.integerTranslation != nil)
    }

    /// A face a few per cent over the limit is worked at the frame's resolution (shrinking it that little costs more
    /// than it saves); from 7 % over, in a box shrunk to the limit.
    @Test func aFaceJustOverTheLimitKeepsTheFramesResolution() throws {
        let ovalWidth = FaceMeshTopology.ovalWidth(Self.landmarks.points2D)
        func scale(limit: Float) throws -> Float {
            var options = MeshSwapper.Options()
            options.maxFaceWidth = limit
            let swapper = try MeshSwapper(source: Self.photo, sourceLandmarks: AstronautPhoto.landmarks,
                                          options: options)
            return try #require(try swapper.swap(FaceSwapInput(frame: Self.frame, landmarks: Self.landmarks)))
                .toFrame.scale
        }
        #expect(try scale(limit: ovalWidth / 1.05) == 1)
        #expect(abs(try scale(limit: ovalWidth / 1.09) - 1.09) < 0.01)
        #expect(MeshSwapper.Options().shrink(faceWidth: 256 * 1.069) == 1)
        #expect(abs(MeshSwapper.Options().shrink(faceWidth: 512) - 0.5) < 1e-6)
    }

    /// The shrunk box's paste (``FacePaste/add(_:width:height:toFrame:into:)`` for a scaled box) adds the same
    /// bilinear samples, zero outside the box, as the general paste's sampler.
    @Test func theScaledPasteAddsTheBilinearSamplesOfTheDifference() throws {
        let (w, h) = (37, 29)
        let difference = (0..<(w * h)).map { i -> SIMD4<Float> in
            let (x, y) = (Float(i % w), Float(i / w))
            // A smooth bump that fades to small values (under a rounding step) at the box's sides.
            let v = 60 * exp(-((x - 18) * (x - 18) + (y - 14) * (y - 14)) / 90) * sin(x * 0.7 + y * 0.3)
            return SIMD4(v, -v / 2, v / 3, 0)
        }
        let toFrame = AffineTransform2D(a: 1.7, b: 0, tx: 20.35, c: 0, d: 1.7, ty: 11.35)
        let frame = TestImages.texture(width: 120, height: 90, phase: 2)
        var pasted = frame
        FacePaste.add(difference, width: w, height: h, toFrame: toFrame, into: &pasted)
        let toSwap = try #require(toFrame.inverted())
        var touched = 0
        difference.withUnsafeBufferPointer { d in
            for y in 0..<frame.height {
                for x in 0..<frame.width {
                    let s = toSwap.apply(SIMD2(Float(x), Float(y)))
                    var want = frame[x, y]
                    if let t = Bilinear.zeroPadded(s.x, s.y, width: w, height: h) {
                        let v = Bilinear.sample(d.baseAddress!, t)
                        if max(abs(v.x), abs(v.y), abs(v.z)) >= FacePaste.significant {
                            let p = frame[x, y]
                            want = (UInt8(min(max((Float(p.r) + v.x).rounded(), 0), 255)),
                                    UInt8(min(max((Float(p.g) + v.y).rounded(), 0), 255)),
                                    UInt8(min(max((Float(p.b) + v.z).rounded(), 0), 255)))
                            touched += 1
                        }
                    }
                    let got = pasted[x, y]
                    #expect(abs(Int(got.r) - Int(want.r)) <= 1 && abs(Int(got.g) - Int(want.g)) <= 1
                            && abs(Int(got.b) - Int(want.b)) <= 1, "pixel \(x), \(y)")
                }
            }
        }
        #expect(touched > 1000)
    }

    /// The swap box's frame pixels: area averages when shrunk, the frame's own bytes when only moved.
    @Test func resamplingAveragesWhatEachPixelCovers() throws {
        let image = TestImages.texture(width: 64, height: 48, phase: 1)
        let half = ImageWarper.resample(image, width: 20, height: 15,
                                        outputToSource: AffineTransform2D(a: 2, b: 0, tx: 10.5, c: 0, d: 2, ty: 6.5))
        for (x, y) in [(0, 0), (7, 3), (19, 14), (11, 9)] {
            // Output pixel (x, y) covers source pixels 10 + 2x … 11 + 2x, 6 + 2y … 7 + 2y.
            let block = [(0, 0), (1, 0), (0, 1), (1, 1)].map { image[10 + 2 * x + $0.0, 6 + 2 * y + $0.1] }
            let mean = block.map { Double($0.g) }.reduce(0, +) / 4
            #expect(abs(Double(half[x, y].g) - mean) <= 0.51)
        }
        let moved = AffineTransform2D(translation: SIMD2(5, 7))
        #expect(ImageWarper.resample(image, width: 30, height: 20, outputToSource: moved).pixels
                == image.cropped(x: 5, y: 7, width: 30, height: 20).pixels)
        let turned = AffineTransform2D(scale: 1.5, rotation: 0.2, translation: SIMD2(12, 3))
        #expect(ImageWarper.resample(image, width: 20, height: 20, outputToSource: turned).pixels
                == ImageWarper.warp(image, width: 20, height: 20, outputToSource: turned).pixels)
    }
}
