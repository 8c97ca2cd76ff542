import CFFmpeg
import CYUV

/// Packs yuv420p frames into the contiguous bytes a V4L2 output device takes with one `write()`:
/// YU12 is the three planes back to back without row padding (what FFmpeg's rawvideo encoder makes);
/// YUYV is converted from them by libyuv (each chroma row serves two picture rows).
struct V4L2FramePacker {
    let format: V4L2PixelFormat
    let size: FrameSize
    /// Reused for every frame; only the caller's copy of the last result may share it.
    private var buffer: [UInt8]

    init(format: V4L2PixelFormat, size: FrameSize) {
        self.format = format
        self.size = size
        buffer = [UInt8](repeating: 0, count: format.frameBytes(size))
    }

    /// The packed bytes of `frame`, which must be yuv420p at ``size``.
    mutating func pack(_ frame: AVFrameBox) -> [UInt8] {
        precondition(frame.pixelFormat == AV_PIX_FMT_YUV420P && frame.width == size.width && frame.height == size.height,
                     "V4L2FramePacker takes yuv420p frames of the negotiated size")
        let s = frame.pointer.pointee
        let (w, h) = (Int32(size.width), Int32(size.height))
        let format = self.format
        buffer.withUnsafeMutableBufferPointer { out in
            let dst = out.baseAddress!
            switch format {
            case .yu12:
                let lumaBytes = size.width * size.height
                let u = dst + lumaBytes, v = u + lumaBytes / 4
                _ = I420Copy(s.data.0, s.linesize.0, s.data.1, s.linesize.1, s.data.2, s.linesize.2,
                             dst, w, u, w / 2, v, w / 2, w, h)
            case .yuyv:
                _ = I420ToYUY2(s.data.0, s.linesize.0, s.data.1, s.linesize.1, s.data.2, s.linesize.2,
                               dst, w * 2, w, h)
            }
        }
        return buffer
    }
}
