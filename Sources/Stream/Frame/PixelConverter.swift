import CFFmpeg
import CYUV
import Synchronization

/// Converts between decoded frames, packed RGB and the encoder's yuv420p, scaling on the way when asked.
///
/// libyuv does the same-size 4:2:0 ↔ RGB conversions (4–18× faster than swscale here, see docs/BENCHMARKS.md);
/// swscale does everything else (other pixel formats, scaling). Both use the BT.601 matrix in both directions, so
/// a round trip through RGB leaves colours where they were; the source's colour tags are copied to the output.
/// Thread-safe: scaler contexts are pooled and checked out per call.
public final class PixelConverter: Sendable {
    private struct Key: Hashable {
        var srcFormat: Int32, srcWidth: Int, srcHeight: Int
        var dstFormat: Int32, dstWidth: Int, dstHeight: Int
        var srcFullRange: Bool
    }

    private final class ScalerPool: @unchecked Sendable {
        var idle: [Key: [OpaquePointer]] = [:]
        deinit { for list in idle.values { list.forEach { sws_freeContext($0) } } }
    }

    private let pool = Mutex(ScalerPool())
    /// Disables the libyuv fast path (for benchmarking swscale against it).
    public let useLibyuv: Bool
    /// Where the frames' RGB pictures come from and go back to.
    public let buffers = FrameBufferPool()

    public init(useLibyuv: Bool = true) {
        self.useLibyuv = useLibyuv
    }

    /// Decoded frame (any format, any size) → packed RGB at `size`.
    func rgbImage(from frame: AVFrameBox, size: FrameSize) throws(StreamError) -> RGBImage {
        var image = RGBImage(width: size.width, height: size.height,
                             pixels: buffers.take(count: size.width * size.height * 3))
        let src = frame.pointer
        let format = frame.pixelFormat
        let fullRange = Self.isFullRange(src)
        let sameSize = frame.width == size.width && frame.height == size.height
        if useLibyuv, sameSize, format == AV_PIX_FMT_YUV420P || format == AV_PIX_FMT_YUVJ420P {
            let s = src.pointee
            image.pixels.withUnsafeMutableBufferPointer { dst in
                let args = (s.data.0, s.linesize.0, s.data.1, s.linesize.1, s.data.2, s.linesize.2)
                if fullRange {
                    _ = J420ToRAW(args.0, args.1, args.2, args.3, args.4, args.5, dst.baseAddress, Int32(size.width * 3),
                                  Int32(size.width), Int32(size.height))
                } else {
                    _ = I420ToRAW(args.0, args.1, args.2, args.3, args.4, args.5, dst.baseAddress, Int32(size.width * 3),
                                  Int32(size.width), Int32(size.height))
                }
            }
            return image
        }
        let key = Key(srcFormat: format.rawValue, srcWidth: frame.width, srcHeight: frame.height,
                      dstFormat: AV_PIX_FMT_RGB24.rawValue, dstWidth: size.width, dstHeight: size.height,
                      srcFullRange: fullRange)
        try withScaler(key) { ctx throws(StreamError) in
            try image.pixels.withUnsafeMutableBufferPointer { dst throws(StreamError) in
                var dstData: [UnsafeMutablePointer<UInt8>?] = [dst.baseAddress, nil, nil, nil]
                var dstStride: [Int32] = [Int32(size.width * 3), 0, 0, 0]
                try Self.scale(ctx, from: src, into: &dstData, strides: &dstStride)
            }
        }
        return image
    }

    /// Packed RGB → a new yuv420p frame (limited range) of the same size.
    func yuv420Frame(from image: RGBImage) throws(StreamError) -> AVFrameBox {
        if useLibyuv {
            let out = try AVFrameBox(format: AV_PIX_FMT_YUV420P, width: image.width, height: image.height)
            let d = out.pointer.pointee
            image.pixels.withUnsafeBufferPointer { src in
                _ = RAWToI420(src.baseAddress, Int32(image.rowBytes), d.data.0, d.linesize.0, d.data.1, d.linesize.1,
                              d.data.2, d.linesize.2, Int32(image.width), Int32(image.height))
            }
            return out
        }
        return try frame(from: image, format: AV_PIX_FMT_YUV420P, size: FrameSize(width: image.width, height: image.height))
    }

    /// Packed RGB → a new frame of `format` at `size` (scaled with swscale), e.g. full-range yuvj420p for JPEG.
    func frame(from image: RGBImage, format: AVPixelFormat, size: FrameSize) throws(StreamError) -> AVFrameBox {
        let out = try AVFrameBox(format: format, width: size.width, height: size.height)
        let key = Key(srcFormat: AV_PIX_FMT_RGB24.rawValue, srcWidth: image.width, srcHeight: image.height,
                      dstFormat: format.rawValue, dstWidth: size.width, dstHeight: size.height, srcFullRange: true)
        try withScaler(key) { ctx throws(StreamError) in
            try image.pixels.withUnsafeBufferPointer { src throws(StreamError) in
                var srcData: [UnsafePointer<UInt8>?] = [src.baseAddress, nil, nil, nil]
                var srcStride: [Int32] = [Int32(image.rowBytes), 0, 0, 0]
                try Self.scale(ctx, srcData: &srcData, srcStrides: &srcStride, height: image.height, into: out.pointer)
            }
        }
        return out
    }

    /// Decoded frame → yuv420p (limited range) at `size`; returns the frame itself when nothing needs doing.
    func yuv420Frame(from frame: AVFrameBox, size: FrameSize) throws(StreamError) -> AVFrameBox {
        let format = frame.pixelFormat
        if format == AV_PIX_FMT_YUV420P, !Self.isFullRange(frame.pointer),
           frame.width == size.width, frame.height == size.height {
            return frame
        }
        let out = try AVFrameBox(format: AV_PIX_FMT_YUV420P, width: size.width, height: size.height)
        let key = Key(srcFormat: format.rawValue, srcWidth: frame.width, srcHeight: frame.height,
                      dstFormat: AV_PIX_FMT_YUV420P.rawValue, dstWidth: size.width, dstHeight: size.height,
                      srcFullRange: Self.isFullRange(frame.pointer))
        try withScaler(key) { ctx throws(StreamError) in
            try Self.scale(ctx, from: frame.pointer, into: out.pointer)
        }
        return out
    }

    /// Decoded frame (any format) → yuv420p turned upright (libyuv), at its own size turned.
    func upright(_ frame: AVFrameBox, rotation: FrameRotation) throws(StreamError) -> AVFrameBox {
        let size = FrameSize(width: frame.width, height: frame.height)
        let yuv = try yuv420Frame(from: frame, size: size)
        let turned = rotation.turning(size)
        let out = try AVFrameBox(format: AV_PIX_FMT_YUV420P, width: turned.width, height: turned.height)
        let s = yuv.pointer.pointee, d = out.pointer.pointee
        let result = I420Rotate(s.data.0, s.linesize.0, s.data.1, s.linesize.1, s.data.2, s.linesize.2,
                                d.data.0, d.linesize.0, d.data.1, d.linesize.1, d.data.2, d.linesize.2,
                                Int32(size.width), Int32(size.height), RotationMode(UInt32(rotation.rawValue)))
        guard result == 0 else { throw .ffmpeg(operation: "turning a \(size.width)x\(size.height) frame upright", message: "libyuv error \(result)") }
        return out
    }

    // MARK: - swscale plumbing

    private static func isFullRange(_ frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        let format = AVPixelFormat(rawValue: frame.pointee.format)
        return frame.pointee.color_range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ420P
            || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P
    }

    private func withScaler<R>(_ key: Key, _ body: (OpaquePointer) throws(StreamError) -> R) throws(StreamError) -> R {
        let cached: OpaquePointer? = pool.withLock { $0.idle[key]?.popLast() }
        let ctx: OpaquePointer
        if let cached {
            ctx = cached
        } else {
            ctx = try Self.makeScaler(key)
        }
        defer { pool.withLock { $0.idle[key, default: []].append(ctx) } }
        return try body(ctx)
    }

    private static func makeScaler(_ key: Key) throws(StreamError) -> OpaquePointer {
        let scaling = key.srcWidth != key.dstWidth || key.srcHeight != key.dstHeight
        let flags = scaling ? SWS_BILINEAR : SWS_POINT
        guard let ctx = sws_getContext(Int32(key.srcWidth), Int32(key.srcHeight), AVPixelFormat(rawValue: key.srcFormat),
                                       Int32(key.dstWidth), Int32(key.dstHeight), AVPixelFormat(rawValue: key.dstFormat),
                                       flags, nil, nil, nil)
        else {
            throw .ffmpeg(operation: "creating a scaler \(key.srcWidth)x\(key.srcHeight) \(AVPixelFormat(rawValue: key.srcFormat).name) → \(key.dstWidth)x\(key.dstHeight)",
                          message: "unsupported conversion")
        }
        // Same matrix (BT.601) both ways; only the source range varies.
        let coefficients = sws_getCoefficients(SWS_CS_DEFAULT)
        let dstFull: Int32 = key.dstFormat == AV_PIX_FMT_RGB24.rawValue || key.dstFormat == AV_PIX_FMT_YUVJ420P.rawValue ? 1 : 0
        sws_setColorspaceDetails(ctx, coefficients, key.srcFullRange ? 1 : 0, coefficients, dstFull, 0, 1 << 16, 1 << 16)
        return ctx
    }

    private static func scale(_ ctx: OpaquePointer, from src: UnsafeMutablePointer<AVFrame>,
                              into dstData: inout [UnsafeMutablePointer<UInt8>?], strides: inout [Int32]) throws(StreamError) {
        let rows = withUnsafePointer(to: &src.pointee.data) { data in
            withUnsafePointer(to: &src.pointee.linesize) { linesize in
                sws_scale(ctx, UnsafeRawPointer(data).assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                          UnsafeRawPointer(linesize).assumingMemoryBound(to: Int32.self),
                          0, src.pointee.height, &dstData, &strides)
            }
        }
        try AVResult.check(rows, "colour conversion")
    }

    private static func scale(_ ctx: OpaquePointer, srcData: inout [UnsafePointer<UInt8>?], srcStrides: inout [Int32],
                              height: Int, into dst: UnsafeMutablePointer<AVFrame>) throws(StreamError) {
        let rows = withUnsafeMutablePointer(to: &dst.pointee.data) { data in
            withUnsafeMutablePointer(to: &dst.pointee.linesize) { linesize in
                sws_scale(ctx, &srcData, &srcStrides, 0, Int32(height),
                          UnsafeMutableRawPointer(data).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                          UnsafeMutableRawPointer(linesize).assumingMemoryBound(to: Int32.self))
            }
        }
        try AVResult.check(rows, "colour conversion")
    }

    private static func scale(_ ctx: OpaquePointer, from src: UnsafeMutablePointer<AVFrame>,
                              into dst: UnsafeMutablePointer<AVFrame>) throws(StreamError) {
        try AVResult.check(sws_scale_frame(ctx, dst, src), "scaling")
    }
}
