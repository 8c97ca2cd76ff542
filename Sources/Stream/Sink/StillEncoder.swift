import CFFmpeg
import Foundation

/// Encodes one picture with an FFmpeg image codec (PNG, JPEG): the plumbing ``PNGEncoder`` and ``JPEGEncoder``
/// share.
enum StillEncoder {
    /// The bytes of `frame` (already in a format `codec` takes) encoded with `codec`; `configure` sets codec
    /// options before the encoder opens.
    static func encode(_ frame: UnsafeMutablePointer<AVFrame>, codec id: AVCodecID, name: String,
                       configure: (UnsafeMutablePointer<AVCodecContext>) -> Void = { _ in }) throws(StreamError) -> Data {
        guard let codec = avcodec_find_encoder(id) else { throw .encoderUnavailable(name) }
        guard let ctx = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        defer {
            var c: UnsafeMutablePointer<AVCodecContext>? = ctx
            avcodec_free_context(&c)
        }
        ctx.pointee.width = frame.pointee.width
        ctx.pointee.height = frame.pointee.height
        ctx.pointee.pix_fmt = AVPixelFormat(rawValue: frame.pointee.format)
        ctx.pointee.time_base = AVRational(num: 1, den: 25)
        configure(ctx)
        try AVResult.check(avcodec_open2(ctx, codec, nil), "opening the \(name) encoder")
        let packet = AVPacketBox()
        try AVResult.check(avcodec_send_frame(ctx, frame), "encoding \(name)")
        try AVResult.check(avcodec_send_frame(ctx, nil), "encoding \(name)")
        var data = Data()
        while avcodec_receive_packet(ctx, packet.pointer) >= 0 {
            data.append(packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
            av_packet_unref(packet.pointer)
        }
        return data
    }
}
