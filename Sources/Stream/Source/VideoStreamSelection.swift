import CFFmpeg

/// Which video stream of an input to read: the one the user names (`--stream N`, numbered as `probe` lists
/// them), or else the one `ffmpeg` itself picks, so facelive and ffmpeg agree on a file with several.
enum VideoStreamSelection {
    /// The stream index to decode.
    static func choose(in input: InputContext, requested: Int?) throws(StreamError) -> Int32 {
        let streams = input.streams
        if let requested {
            guard streams.indices.contains(requested) else {
                throw .invalidStream(input.name, reason: "there is no stream #\(requested); it has \(streams.count): \(summary(streams))")
            }
            let type = streams[requested].pointee.codecpar.pointee.codec_type
            guard type == AVMEDIA_TYPE_VIDEO else {
                throw .invalidStream(input.name, reason: "stream #\(requested) is \(typeName(type)), not video; it has \(summary(streams))")
            }
            return Int32(requested)
        }
        var best: (index: Int, score: Int)?
        for (index, stream) in streams.enumerated() where stream.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
            let score = ffmpegScore(stream)
            if best == nil || score > best!.score { best = (index, score) }
        }
        guard let best else { throw .noVideoStream(input.name) }
        return Int32(best.index)
    }

    /// fftools' rule for the video stream `ffmpeg` maps by default: streams that carry packets first, then the
    /// default-flagged one (unless another is over 5 Mpixel larger), then the largest picture, then the lowest
    /// index; cover art last. (`av_find_best_stream` ranks by bit rate and decoded frames, and can disagree.)
    private static func ffmpegScore(_ stream: UnsafeMutablePointer<AVStream>) -> Int {
        let s = stream.pointee
        if s.disposition & AV_DISPOSITION_ATTACHED_PIC != 0 { return 1 }
        return Int(s.codecpar.pointee.width) * Int(s.codecpar.pointee.height)
            + (s.event_flags & AVSTREAM_EVENT_FLAG_NEW_PACKETS != 0 ? 100_000_000 : 0)
            + (s.disposition & AV_DISPOSITION_DEFAULT != 0 ? 5_000_000 : 0)
    }

    private static func typeName(_ type: AVMediaType) -> String {
        av_get_media_type_string(type).map { String(cString: $0) } ?? "unknown"
    }

    private static func summary(_ streams: [UnsafeMutablePointer<AVStream>]) -> String {
        streams.enumerated().map { "#\($0.offset) \(typeName($0.element.pointee.codecpar.pointee.codec_type))" }
            .joined(separator: ", ")
    }
}
