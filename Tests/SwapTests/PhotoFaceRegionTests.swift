import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
import TestSupport
@testable import Swap

/// A photo is made ready on its face and the room round it only (``MeshSwapper/faceRegion(of:landmarks:)``): the
/// swap comes out as from the whole photo, and a large photo's face is all that is kept. Not to the bit: the
/// coarsest mipmaps' filter reads past the region's edge (a level apart, in a few pixels; far coarser levels than
/// these swaps' scale are read only by the slivers of triangles along the outline).
@Suite struct PhotoFaceRegionTests {
    static let photo = AstronautPhoto.image
    static let landmarks = AstronautPhoto.landmarks

    static func swap(_ swapper: MeshSwapper) throws -> SwappedFace {
        try #require(try swapper.swap(FaceSwapInput(frame: photo, landmarks: landmarks)))
    }

    /// How two swaps differ: pixels that differ at all (image or weight) and the largest difference of a channel.
    static func differences(_ a: SwappedFace, _ b: SwappedFace) -> (pixels: Int, largest: Int) {
        guard a.image.width == b.image.width, a.image.height == b.image.height, let am = a.mask, let bm = b.mask
        else { return (.max, .max) }
        var (n, largest) = (0, 0)
        for y in 0..<a.image.height {
            for x in 0..<a.image.width where a.image[x, y] != b.image[x, y] || am[x, y] != bm[x, y] {
                n += 1
                let (p, q) = (a.image[x, y], b.image[x, y])
                largest = max(largest, abs(Int(p.r) - Int(q.r)), abs(Int(p.g) - Int(q.g)), abs(Int(p.b) - Int(q.b)))
            }
        }
        return (n, largest)
    }

    @Test func theSwapIsTheWholePhotosSwap() throws {
        // The load-time passes over the whole photo, as they ran before it was cut down.
        let options = MeshSwapper.Options()
        let whole = Self.photo.bilateralFiltered(radius: 2, spatialSigma: 1.5, rangeSigma: 6)
        let lit = options.sideLight.apply(to: whole, landmarks: Self.landmarks.points2D)
        let texture = options.skinEvening.apply(to: lit, landmarks: Self.landmarks.points2D)
        let reference = try Self.swap(try MeshSwapper(source: texture, sourceLandmarks: Self.landmarks))

        let loaded = try MeshSwapper.loaded(Self.photo, landmarks: Self.landmarks, options: options)
        #expect(loaded.source.width < Self.photo.width && loaded.source.height < Self.photo.height,
                "the photo was not cut down: \(loaded.source.width)×\(loaded.source.height)")
        let d = Self.differences(try Self.swap(loaded), reference)
        #expect(d.pixels <= 20 && d.largest <= 2, "\(d)")
    }

    @Test func aLargePhotoKeepsItsFaceAlone() throws {
        // The astronaut in a 2048 × 1536 picture of noise: only her face's region is kept, and it swaps the same.
        var canvas = RGBImage(width: 2048, height: 1536)
        var state: UInt32 = 1
        for i in 0..<(canvas.width * canvas.height) {
            state = state &* 1_664_525 &+ 1_013_904_223
            canvas[i % canvas.width, i / canvas.width] = (UInt8(state >> 24), UInt8((state >> 16) & 255), UInt8((state >> 8) & 255))
        }
        let offset = SIMD2(1024, 704)
        for y in 0..<Self.photo.height {
            for x in 0..<Self.photo.width { canvas[offset.x + x, offset.y + y] = Self.photo[x, y] }
        }
        let shift = SIMD3(Float(offset.x), Float(offset.y), 0)
        let moved = FaceLandmarks(points: Self.landmarks.points.map { $0 + shift }, presence: Self.landmarks.presence)
        let large = try MeshSwapper.loaded(canvas, landmarks: moved, options: MeshSwapper.Options())
        #expect(large.source.width * large.source.height < canvas.width * canvas.height / 10)
        let small = try MeshSwapper.loaded(Self.photo, landmarks: Self.landmarks, options: MeshSwapper.Options())
        let d = Self.differences(try Self.swap(large), try Self.swap(small))
        #expect(d.pixels <= 20 && d.largest <= 2, "\(d)")
    }

    @Test func aCloseUpsFaceIsPreparedHalved() throws {
        // The astronaut's face enlarged 9× (846 pixels wide, a close-up selfie's size): prepared at half that, it
        // swaps as the shipped photo does, less the detail the enlargement blurred.
        let (x0, y0, scale): (Float, Float, Float) = (130, 20, 9)
        let toSource = AffineTransform2D(a: 1 / scale, b: 0, tx: x0, c: 0, d: 1 / scale, ty: y0)
        let closeUp = ImageWarper.resample(Self.photo, width: 1710, height: 1890, outputToSource: toSource)
        let moved = FaceLandmarks(points: Self.landmarks.points.map { p in
            SIMD3((p.x - x0) * scale, (p.y - y0) * scale, p.z * scale)
        }, presence: Self.landmarks.presence)
        #expect(FaceMeshTopology.ovalWidth(moved.points2D) > MeshSwapper.widestPreparedFace)
        let loaded = try MeshSwapper.loaded(closeUp, landmarks: moved, options: MeshSwapper.Options())
        let prepared = FaceMeshTopology.ovalWidth(loaded.sourceLandmarks)
        #expect(prepared <= MeshSwapper.widestPreparedFace && prepared > MeshSwapper.widestPreparedFace / 2, "\(prepared)")

        let small = try Self.swap(try MeshSwapper.loaded(Self.photo, landmarks: Self.landmarks, options: MeshSwapper.Options()))
        let large = try Self.swap(loaded)
        let mask = try #require(small.mask)
        var sum: Float = 0, count: Float = 0
        for y in 0..<mask.height {
            for x in 0..<mask.width where mask[x, y] > 0.5 {
                let (p, q) = (small.image[x, y], large.image[x, y])
                sum += (abs(Float(p.r) - Float(q.r)) + abs(Float(p.g) - Float(q.g)) + abs(Float(p.b) - Float(q.b))) / 3
                count += 1
            }
        }
        #expect(count > 1000 && sum / count < 4, "mean difference \(sum / max(count, 1)) levels over \(count) pixels")
    }
}
