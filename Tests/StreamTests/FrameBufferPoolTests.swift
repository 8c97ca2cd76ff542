@testable import Stream
import Testing

/// Frames' RGB pictures come from a pool and go back to it: the same few blocks serve the whole run, and reuse
/// never changes a picture or one still held elsewhere.
@Suite struct FrameBufferPoolTests {
    static func address(_ buffer: [UInt8]) -> UInt? {
        buffer.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    @Test("a recycled buffer of the right size comes back; other sizes and a full pool do not keep it")
    func reuseAndBounds() {
        let pool = FrameBufferPool(capacity: 2)
        let first = pool.take(count: 4096)
        let firstAddress = Self.address(first)
        pool.recycle(first)
        #expect(pool.idleCount == 1)
        #expect(pool.take(count: 1000).count == 1000, "a different size is a new buffer")
        #expect(pool.idleCount == 1)
        let again = pool.take(count: 4096)
        #expect(Self.address(again) == firstAddress, "the same storage is reused")
        #expect(pool.idleCount == 0)
        for _ in 0..<3 { pool.recycle([UInt8](repeating: 1, count: 16)) }
        #expect(pool.idleCount == 2, "the pool keeps at most its capacity")
    }

    @Test("a buffer recycled while another value still holds it is copied on write, not changed under that value")
    func sharedBufferStaysIntact() {
        let pool = FrameBufferPool()
        let kept = [UInt8](repeating: 7, count: 256)
        pool.recycle(kept)
        var reused = pool.take(count: 256)
        reused.withUnsafeMutableBufferPointer { $0.update(repeating: 9) }
        #expect(kept.allSatisfy { $0 == 7 })
        #expect(reused.allSatisfy { $0 == 9 })
    }

    @Test("a decoded frame's picture goes back to its converter's pool and the next frame reuses it, unchanged")
    func framesReusePictures() throws {
        let input = "lavfi:testsrc2=size=96x64:rate=10:duration=0.5"
        let converter = PixelConverter()
        let pooled = try MediaSource(input, converter: converter)
        let reference = try MediaSource(input, converter: PixelConverter())
        var firstAddress: UInt?
        do {
            let frame = try #require(try pooled.nextFrame())
            firstAddress = Self.address(try frame.image.pixels)
        }
        // The frame is gone: its picture waits in the pool.
        #expect(converter.buffers.idleCount == 1)
        let second = try #require(try pooled.nextFrame())
        let secondImage = try second.image
        #expect(Self.address(secondImage.pixels) == firstAddress, "the second frame's picture reuses the first's buffer")
        _ = try reference.nextFrame()
        let expected = try #require(try reference.nextFrame()).image
        #expect(secondImage == expected, "a reused buffer holds exactly the new picture")

        second.setImage(RGBImage(width: secondImage.width, height: secondImage.height))
        #expect(converter.buffers.idleCount == 1, "the replaced picture went back to the pool")
    }
}
