import CFFmpeg

/// What `facelive probe` reports about an input.
public struct MediaInfo: Sendable, Codable {
    public var input: String
    public var format: String
    public var durationSeconds: Double?
    public var bitRate: Int?
    /// Container metadata (title, comment, encoder, facelive's provenance tag…).
    public var tags: [String: String]
    public var streams: [StreamDescription]

    enum CodingKeys: String, CodingKey {
        case input, format, durationSeconds = "duration", bitRate = "bit_rate", tags, streams
    }
}

/// One stream of an input.
public struct StreamDescription: Sendable, Codable {
    public var index: Int
    /// `video`, `audio`, `subtitle`, `data`…
    public var type: String
    public var codec: String
    public var width: Int?
    public var height: Int?
    public var pixelFormat: String?
    public var frameRate: Double?
    public var sampleRate: Int?
    public var channels: Int?
    public var durationSeconds: Double?
    /// Frames (video) or packets (audio): from the container, or counted by reading the file.
    public var frames: Int?

    enum CodingKeys: String, CodingKey {
        case index, type, codec, width, height, pixelFormat = "pixel_format", frameRate = "frame_rate"
        case sampleRate = "sample_rate", channels, durationSeconds = "duration", frames
    }
}

/// Reads an input's streams without decoding pictures.
public enum MediaProbe {
    /// Probes `input`. Frame counts missing from the container are counted by demuxing (files only).
    /// A network input that sends nothing for `stallTimeout` seconds fails (nil: wait forever).
    public static func probe(_ input: String, stallTimeout: Double? = SourceOptions.defaultStallTimeout) throws(StreamError) -> MediaInfo {
        let location = InputLocation(input)
        let ctx = try InputContext(location, name: input, stallTimeout: stallTimeout)
        var streams: [StreamDescription] = []
        for (i, stream) in ctx.streams.enumerated() {
            let par = stream.pointee.codecpar.pointee
            let tb = stream.pointee.time_base
            var description = StreamDescription(
                index: i,
                type: av_get_media_type_string(par.codec_type).map { String(cString: $0) } ?? "unknown",
                codec: String(cString: avcodec_get_name(par.codec_id)),
                durationSeconds: stream.pointee.duration > 0 ? Double(stream.pointee.duration) * tb.doubleValue : nil,
                frames: stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil)
            if par.codec_type == AVMEDIA_TYPE_VIDEO {
                description.width = Int(par.width)
                description.height = Int(par.height)
                description.pixelFormat = AVPixelFormat(rawValue: par.format).name
                let rate = av_guess_frame_rate(ctx.pointer, stream, nil)
                description.frameRate = rate.num > 0 ? rate.doubleValue : nil
            } else if par.codec_type == AVMEDIA_TYPE_AUDIO {
                description.sampleRate = Int(par.sample_rate)
                description.channels = Int(par.ch_layout.nb_channels)
            }
            streams.append(description)
        }
        if case .file = location, streams.contains(where: { $0.frames == nil }) {
            let counts = countPackets(ctx)
            for i in streams.indices where streams[i].frames == nil { streams[i].frames = counts[i] }
        }
        let bitRate = Int(ctx.pointer.pointee.bit_rate)
        return MediaInfo(input: input, format: ctx.formatName, durationSeconds: ctx.duration,
                         bitRate: bitRate > 0 ? bitRate : nil, tags: ctx.metadata, streams: streams)
    }

    private static func countPackets(_ ctx: InputContext) -> [Int] {
        var counts = [Int](repeating: 0, count: ctx.streams.count)
        let packet = AVPacketBox()
        while av_read_frame(ctx.pointer, packet.pointer) >= 0 {
            let index = Int(packet.pointer.pointee.stream_index)
            if counts.indices.contains(index) { counts[index] += 1 }
            av_packet_unref(packet.pointer)
        }
        return counts
    }
}
