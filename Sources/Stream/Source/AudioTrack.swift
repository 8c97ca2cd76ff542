import CFFmpeg

/// The input's audio stream as the muxer needs it to copy packets through unchanged.
public final class AudioTrack: @unchecked Sendable {
    let parameters: UnsafeMutablePointer<AVCodecParameters>
    let timeBase: AVRational
    /// Codec name (`aac`, `opus`, `pcm_s16le`…).
    public let codec: String
    public let sampleRate: Int
    public let channels: Int

    init(copying source: UnsafePointer<AVCodecParameters>, timeBase: AVRational) {
        guard let params = avcodec_parameters_alloc() else { fatalError("avcodec_parameters_alloc: out of memory") }
        avcodec_parameters_copy(params, source)
        parameters = params
        self.timeBase = timeBase
        codec = String(cString: avcodec_get_name(source.pointee.codec_id))
        sampleRate = Int(source.pointee.sample_rate)
        channels = Int(source.pointee.ch_layout.nb_channels)
    }

    deinit {
        var params: UnsafeMutablePointer<AVCodecParameters>? = parameters
        avcodec_parameters_free(&params)
    }
}

/// One compressed audio packet on its way from the demuxer to the muxer.
public final class AudioPacket: @unchecked Sendable {
    let packet: AVPacketBox
    let timeBase: AVRational

    init(packet: AVPacketBox, timeBase: AVRational) {
        self.packet = packet
        self.timeBase = timeBase
    }

    /// A packet of its own with the same data (muxers rewrite a packet's timestamps in place).
    public func copy() -> AudioPacket {
        let copy = AVPacketBox()
        av_packet_ref(copy.pointer, packet.pointer)
        return AudioPacket(packet: copy, timeBase: timeBase)
    }

    /// Presentation (or, lacking one, decode) time in seconds.
    public var time: Double {
        let p = packet.pointer.pointee
        let ts = p.pts != CFF_AV_NOPTS_VALUE ? p.pts : p.dts
        return ts == CFF_AV_NOPTS_VALUE ? 0 : Double(ts) * timeBase.doubleValue
    }
}
