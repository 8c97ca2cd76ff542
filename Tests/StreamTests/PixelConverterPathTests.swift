import CFFmpeg
@testable import Stream
import Testing

/// libyuv and swscale turn the same RGB picture into the same yuv420p frame (within rounding).
@Suite struct PixelConverterPathTests {
    @Test func bothPathsGiveTheSameYUV() throws {
        var image = RGBImage(width: 64, height: 48)
        for y in 0..<image.height {
            for x in 0..<image.width {
                let i = y * image.rowBytes + x * 3
                image.pixels[i] = UInt8(x * 4)
                image.pixels[i + 1] = UInt8(y * 5)
                image.pixels[i + 2] = UInt8((x + y) * 2)
            }
        }
        let fast = try PixelConverter(useLibyuv: true).yuv420Frame(from: image)
        let scaled = try PixelConverter(useLibyuv: false).yuv420Frame(from: image)
        for (plane, width, height) in [(0, 64, 48), (1, 32, 24), (2, 32, 24)] {
            let a = fast.pointer.pointee, b = scaled.pointer.pointee
            let (pa, pb) = plane == 0 ? (a.data.0!, b.data.0!) : plane == 1 ? (a.data.1!, b.data.1!) : (a.data.2!, b.data.2!)
            let (la, lb) = plane == 0 ? (a.linesize.0, b.linesize.0) : plane == 1 ? (a.linesize.1, b.linesize.1) : (a.linesize.2, b.linesize.2)
            var worst = 0
            for y in 0..<height {
                for x in 0..<width {
                    worst = max(worst, abs(Int(pa[y * Int(la) + x]) - Int(pb[y * Int(lb) + x])))
                }
            }
            #expect(worst <= 3, "plane \(plane): largest difference \(worst)")
        }
    }
}
