import Imaging
import Stream
import Testing
@testable import Swap

/// The mipmapped photo: a large photo shrunk onto a small face must not alias its fine texture into glitter.
struct MipmapWarpTests {
    /// A `size`² image whose pixels alternate black and white like a chessboard.
    static func chessboard(_ size: Int) -> RGBImage {
        var image = RGBImage(width: size, height: size)
        for y in 0..<size {
            for x in 0..<size where (x + y) % 2 == 0 { image[x, y] = (255, 255, 255) }
        }
        return image
    }

    /// Two triangles covering the square `[0, size − 1]²`, and its corners scaled by `scale` about the origin.
    static func square(_ size: Int, scale: Float) -> (points: [SIMD2<Float>], moved: [SIMD2<Float>], triangles: [SIMD3<Int>]) {
        let s = Float(size - 1)
        let points: [SIMD2<Float>] = [SIMD2(0, 0), SIMD2(s, 0), SIMD2(s, s), SIMD2(0, s)]
        return (points, points.map { $0 * scale }, [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    }

    static func statistics(_ image: RGBImage, inside n: Int) -> (mean: Float, deviation: Float) {
        var values = [Float]()
        for y in 2..<(n - 2) {
            for x in 2..<(n - 2) { values.append(Float(image[x, y].g)) }
        }
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
        return (mean, variance.squareRoot())
    }

    @Test func halvingKeepsAFlatImageAndAveragesAChessboard() {
        var flat = RGBImage(width: 37, height: 21)
        for i in flat.pixels.indices { flat.pixels[i] = 93 }
        let flatLevels = MipmappedImage(flat, smallestSide: 2)
        #expect(flatLevels.sizes.map(\.width) == [37, 19, 10, 5])
        for k in flatLevels.sizes.indices { #expect(flatLevels.level(k).pixels.allSatisfy { $0 == 93 }) }

        let board = MipmappedImage(Self.chessboard(64)).level(1)
        for y in 1..<31 {
            for x in 1..<31 { #expect(abs(Int(board[x, y].r) - 128) <= 1) }
        }
    }

    @Test func eachLevelsCoordinatesMeetLevelZeros() {
        // A ramp: a level's pixel at a level-0 point reads that point's value.
        var ramp = RGBImage(width: 256, height: 64)
        for y in 0..<64 {
            for x in 0..<256 { ramp[x, y] = (UInt8(x), UInt8(x), UInt8(x)) }
        }
        let levels = MipmappedImage(ramp)
        for k in 1..<levels.sizes.count {
            let image = levels.level(k)
            for x in stride(from: Float(24), through: 230, by: 17) {
                let (scale, shift) = MipmappedImage.mapping(toLevel: k)
                let p = SIMD2<Float>(x, 20) * scale + shift
                let (i, f) = (Int(p.x), p.x - Float(Int(p.x)))
                let value = Float(image[i, Int(p.y)].r) * (1 - f) + Float(image[i + 1, Int(p.y)].r) * f
                #expect(abs(value - x) <= 1.01, "level \(k) at x \(x): \(value)")
            }
        }
    }

    @Test func aShrinkingWarpDoesNotAliasAFineTexture() {
        // A 1-px chessboard shrunk 3×: the true picture is flat grey. Sampling every third pixel reads one colour.
        let n = 301, (points, moved, triangles) = Self.square(n, scale: 1 / 3)
        let board = Self.chessboard(n)
        let clip = AlphaMask(width: 101, height: 101, value: 1)
        var plain = RGBImage(width: 101, height: 101), mipmapped = plain
        TriangleWarp.warp(board, sourcePoints: points, triangles: triangles, targetPoints: moved, into: &plain, clip: clip)
        TriangleWarp.warp(MipmappedImage(board), sourcePoints: points, triangles: triangles, targetPoints: moved,
                          into: &mipmapped, clip: clip)
        let aliased = Self.statistics(plain, inside: 101), filtered = Self.statistics(mipmapped, inside: 101)
        #expect(abs(aliased.mean - 127.5) > 60 || aliased.deviation > 60, "the plain warp aliases: \(aliased)")
        #expect(abs(filtered.mean - 127.5) < 4 && filtered.deviation < 4, "\(filtered)")
    }

    @Test func anEnlargingWarpReadsTheImageItself() {
        let photo = AstronautPhoto.image
        let n = min(photo.width, photo.height), (points, moved, triangles) = Self.square(n, scale: 1.25)
        let size = Int(Float(n) * 1.25)
        let clip = AlphaMask(width: size, height: size, value: 1)
        var plain = RGBImage(width: size, height: size), mipmapped = plain
        TriangleWarp.warp(photo, sourcePoints: points, triangles: triangles, targetPoints: moved, into: &plain, clip: clip)
        TriangleWarp.warp(MipmappedImage(photo), sourcePoints: points, triangles: triangles, targetPoints: moved,
                          into: &mipmapped, clip: clip)
        #expect(plain == mipmapped)
    }
}
