import CFFmpeg
import DequeModule
import Foundation

/// Encodes frames (H.264 through libx264 by default) and muxes them, with the input's audio copied through,
/// into a file, stdout (`-`) or a URL FFmpeg can write (`udp://…`, `rtmp://…`).
///
/// A file is written under a temporary name beside it and renamed into place by ``finish(complete:)`` once at
/// least one frame is in it (see ``StagedFile``): a failed job leaves an existing file untouched (see
/// ``discard()``).
public final class MediaSink: FrameSink {
    /// Things worth telling the user that did not stop the job (e.g. audio the container cannot carry).
    public private(set) var warnings: [String] = []
    /// Frames encoded so far.
    public private(set) var framesWritten = 0
    /// Input time (seconds) written as time zero: a recording that starts mid-stream begins at 0, and audio from
    /// before it is left out. Set before the first frame.
    public var startTime = 0.0

    private let name: String
    /// The temporary file a file output is written to; nil for stdout and URLs.
    private let staged: StagedFile?
    private let output: UnsafeMutablePointer<AVFormatContext>
    private let encoder: UnsafeMutablePointer<AVCodecContext>
    private let videoStream: UnsafeMutablePointer<AVStream>
    private var audioStream: UnsafeMutablePointer<AVStream>?
    private let packet = AVPacketBox()
    private let frameDuration: Double
    private var pendingAudio = Deque<AudioPacket>()
    private var lastPts: Int64?
    private var videoEnd = -Double.infinity
    private var headerWritten = false
    private var finished = false

    /// Opens `path` for writing. Nothing is processed before this succeeds, so a bad output fails fast.
    public init(_ path: String, video: VideoStreamInfo, audio: AudioTrack?, settings: EncoderSettings = EncoderSettings()) throws(StreamError) {
        name = path
        staged = NamedPath("-o", path).localPath.map(StagedFile.init)
        let url = path == "-" ? "pipe:1" : staged?.path ?? path
        if let format = settings.format, av_guess_format(format, nil, nil) == nil {
            throw .unknownOutputFormat("\(path) (-f \(format))")
        }
        if path == "-" && settings.format == nil {
            throw .unknownOutputFormat("- (stdout needs -f FORMAT, e.g. -f mpegts)")
        }
        var ctxOptional: UnsafeMutablePointer<AVFormatContext>?
        let allocated = avformat_alloc_output_context2(&ctxOptional, nil, settings.format, url)
        guard allocated >= 0, let ctx = ctxOptional else { throw .unknownOutputFormat(path) }
        guard let oformat = ctx.pointee.oformat, oformat.pointee.video_codec != AV_CODEC_ID_NONE else {
            avformat_free_context(ctx)
            throw .unknownOutputFormat(path)
        }
        output = ctx
        let containerName = String(cString: oformat.pointee.name)
        if settings.fragmented && !Self.fragmentableFormats.contains(containerName) {
            avformat_free_context(ctx)
            throw .cannotOpenOutput(path, reason: "fragmented output needs an MP4 or MOV container, not \(containerName) (mkv and ts play after a kill as they are)")
        }

        guard let codec = avcodec_find_encoder_by_name(settings.codec) else {
            avformat_free_context(ctx)
            throw .encoderUnavailable(settings.codec)
        }
        if avformat_query_codec(oformat, codec.pointee.id, FF_COMPLIANCE_NORMAL) == 0 {
            avformat_free_context(ctx)
            let codecName = String(cString: avcodec_get_name(codec.pointee.id))
            throw .cannotOpenOutput(path, reason: "the \(containerName) container cannot carry \(codecName) video; use .mp4 .mkv .mov .ts .flv or .nut")
        }
        guard let enc = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        encoder = enc
        // AVI counts frames rather than storing timestamps: its time base must be one frame, or players see
        // the input's fine time base (1/10240…) as the frame rate.
        let timeBase = containerName == "avi" && video.frameRate > 0
            ? av_inv_q(av_d2q(video.frameRate, 1_000_000))
            : AVRational(num: video.timeBaseNum, den: video.timeBaseDen)
        enc.pointee.width = Int32(video.width)
        enc.pointee.height = Int32(video.height)
        enc.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        enc.pointee.time_base = timeBase
        enc.pointee.framerate = av_d2q(video.frameRate, 1_000_000)
        enc.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        enc.pointee.color_primaries = AVColorPrimaries(rawValue: video.colorPrimaries)
        enc.pointee.color_trc = AVColorTransferCharacteristic(rawValue: video.colorTransfer)
        enc.pointee.colorspace = AVColorSpace(rawValue: video.colorSpace)
        enc.pointee.color_range = AVCOL_RANGE_MPEG
        enc.pointee.thread_count = Int32(settings.threads)
        // Frame threads hold one frame each (latency); live output (zerolatency) keeps x264's sliced threads.
        enc.pointee.thread_type = settings.tune == "zerolatency" ? FF_THREAD_SLICE : FF_THREAD_FRAME | FF_THREAD_SLICE
        if let gop = settings.gopSize { enc.pointee.gop_size = Int32(gop) }
        if oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 {
            enc.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        frameDuration = video.frameRate > 0 ? 1 / video.frameRate : 1.0 / 30

        var encoderOptions: [(String, String)] = []
        if let preset = settings.preset { encoderOptions.append(("preset", preset)) }
        if let tune = settings.tune { encoderOptions.append(("tune", tune)) }
        if let crf = settings.crf { encoderOptions.append(("crf", String(crf))) }
        if settings.codec == "libx264", settings.tune != "zerolatency",
           let lean = X264Footprint.within(settings.memoryBudget, pictureBytes: video.width * video.height * 3 / 2) {
            enc.pointee.thread_type = FF_THREAD_SLICE
            encoderOptions.append(("x264-params", lean.parameters))
        }
        var dict: OpaquePointer?
        defer { av_dict_free(&dict) }
        for (key, value) in encoderOptions { av_dict_set(&dict, key, value, 0) }

        let encOpened = avcodec_open2(enc, codec, &dict)
        guard encOpened >= 0 else {
            Self.release(ctx, enc)
            let tried = encoderOptions.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            throw .invalidEncoderOption(name: settings.codec, value: "\(tried) (\(AVResult.message(encOpened)))")
        }
        if let leftover = av_dict_get(dict, "", nil, AV_DICT_IGNORE_SUFFIX) {
            let key = String(cString: leftover.pointee.key), value = String(cString: leftover.pointee.value)
            Self.release(ctx, enc)
            throw .invalidEncoderOption(name: key, value: value)
        }

        guard let vs = avformat_new_stream(ctx, nil) else { fatalError("avformat_new_stream: out of memory") }
        videoStream = vs
        avcodec_parameters_from_context(vs.pointee.codecpar, enc)
        vs.pointee.time_base = timeBase
        vs.pointee.avg_frame_rate = enc.pointee.framerate

        if let audio {
            if Self.muxer(oformat, accepts: audio, besides: vs.pointee.codecpar) {
                guard let st = avformat_new_stream(ctx, nil) else { fatalError("avformat_new_stream: out of memory") }
                avcodec_parameters_copy(st.pointee.codecpar, audio.parameters)
                st.pointee.codecpar.pointee.codec_tag = 0
                st.pointee.time_base = audio.timeBase
                audioStream = st
            } else {
                warnings.append("audio (\(audio.codec), \(audio.sampleRate) Hz) dropped: the \(String(cString: oformat.pointee.name)) container cannot carry it")
            }
        }
        for (key, value) in settings.metadata { av_dict_set(&ctx.pointee.metadata, key, value, 0) }

        if oformat.pointee.flags & AVFMT_NOFILE == 0 {
            let opened = avio_open(&ctx.pointee.pb, url, AVIO_FLAG_WRITE)
            if opened < 0 { throw .cannotOpenOutput(path, reason: AVResult.message(opened)) }
        }
        var muxerOptions: OpaquePointer?
        defer { av_dict_free(&muxerOptions) }
        var movFlags: [String] = []
        if !settings.metadata.isEmpty { movFlags.append("use_metadata_tags") }
        if settings.fragmented { movFlags.append("frag_keyframe+empty_moov+default_base_moof") }
        if !movFlags.isEmpty { av_dict_set(&muxerOptions, "movflags", movFlags.joined(separator: "+"), 0) }
        let header = avformat_write_header(ctx, &muxerOptions)
        if header < 0 {
            throw .cannotOpenOutput(path, reason: Self.describeHeaderFailure(header, container: containerName, codec: codec,
                                                                          seekable: ctx.pointee.pb.map { $0.pointee.seekable != 0 } ?? true))
        }
        headerWritten = true
    }

    // Also runs when init throws after every property is set: it closes (and removes) whatever was opened.
    // A sink dropped without finish() belongs to a job that did not succeed.
    deinit {
        if headerWritten {
            discard()
        } else {
            closeFile()
            staged?.discard()
        }
        Self.release(output, encoder)
    }

    public func write(_ frame: VideoFrame) throws(StreamError) {
        let picture = try frame.encoderFrame()
        // A reference of our own: the same decoded picture may be sent twice (frame-rate conversion).
        guard let ref = av_frame_clone(picture.pointer) else { fatalError("av_frame_clone: out of memory") }
        let owned = AVFrameBox(adopting: ref)
        var pts = av_rescale_q(frame.pts, frame.timeBase, encoder.pointee.time_base) - Self.ticks(startTime, encoder.pointee.time_base)
        if let last = lastPts, pts <= last { pts = last + 1 }
        lastPts = pts
        owned.pointer.pointee.pts = pts
        owned.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
        videoEnd = max(videoEnd, frame.time + frameDuration)
        try AVResult.check(avcodec_send_frame(encoder, owned.pointer), "encoding frame \(frame.index)")
        try drainEncoder()
        try flushAudio(before: videoEnd)
        framesWritten += 1
    }

    public func writeAudio(_ packet: AudioPacket) throws(StreamError) {
        guard audioStream != nil else { return }
        pendingAudio.append(packet)
    }

    public func finish(complete: Bool) throws(StreamError) {
        guard !finished, headerWritten else { return }
        finished = true
        var firstError: StreamError?
        do {
            try AVResult.check(avcodec_send_frame(encoder, nil), "flushing the encoder")
            try drainEncoder()
            try flushAudio(before: complete ? .infinity : videoEnd)
        } catch {
            firstError = error
        }
        pendingAudio.removeAll()
        let trailer = av_write_trailer(output)
        closeFile()
        do throws(StreamError) {
            if let firstError { throw firstError }
            try AVResult.check(trailer, "finishing \(name)")
        } catch {
            staged?.discard()
            throw error
        }
        // Never replace a file with one that holds no picture.
        if framesWritten == 0 {
            staged?.discard()
        } else {
            try staged?.commit()
        }
    }

    /// A file that would replace another is removed (the other stays as it was); a new file keeps the frames
    /// written so far; a stream or stdout is finalised so what was sent plays.
    public func discard() {
        guard let staged, staged.isStaged, staged.replacesExisting else {
            try? finish(complete: false)
            return
        }
        guard !finished else { return }
        finished = true
        pendingAudio.removeAll()
        closeFile()
        staged.discard()
    }

    private func closeFile() {
        if output.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 { avio_closep(&output.pointee.pb) }
    }

    private func drainEncoder() throws(StreamError) {
        while true {
            let received = avcodec_receive_packet(encoder, packet.pointer)
            if received == CFF_AVERROR_EAGAIN || received == CFF_AVERROR_EOF { return }
            try AVResult.check(received, "encoding")
            av_packet_rescale_ts(packet.pointer, encoder.pointee.time_base, videoStream.pointee.time_base)
            packet.pointer.pointee.stream_index = videoStream.pointee.index
            try AVResult.check(av_interleaved_write_frame(output, packet.pointer), "writing \(name)")
        }
    }

    private func flushAudio(before limit: Double) throws(StreamError) {
        guard let audioStream else { return }
        while let next = pendingAudio.first, next.time < limit {
            pendingAudio.removeFirst()
            if next.time < startTime { continue }
            let p = next.packet.pointer
            if startTime > 0 {
                let offset = Self.ticks(startTime, next.timeBase)
                if p.pointee.pts != CFF_AV_NOPTS_VALUE { p.pointee.pts -= offset }
                if p.pointee.dts != CFF_AV_NOPTS_VALUE { p.pointee.dts -= offset }
            }
            av_packet_rescale_ts(p, next.timeBase, audioStream.pointee.time_base)
            p.pointee.stream_index = audioStream.pointee.index
            p.pointee.pos = -1
            try AVResult.check(av_interleaved_write_frame(output, p), "writing audio to \(name)")
        }
    }

    /// `seconds` in `timeBase` units.
    private static func ticks(_ seconds: Double, _ timeBase: AVRational) -> Int64 {
        Int64((seconds * Double(timeBase.den) / Double(timeBase.num)).rounded())
    }

    /// Whether the muxer takes this audio stream: a trial header written to memory answers what
    /// `avformat_query_codec` cannot (mpegts does not say; flv says yes to PCM it then refuses at 48 kHz).
    private static func muxer(_ oformat: UnsafePointer<AVOutputFormat>, accepts audio: AudioTrack,
                              besides video: UnsafeMutablePointer<AVCodecParameters>) -> Bool {
        if avformat_query_codec(oformat, audio.parameters.pointee.codec_id, FF_COMPLIANCE_NORMAL) == 0 { return false }
        if oformat.pointee.flags & AVFMT_NOFILE != 0 { return true }
        var trialOptional: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&trialOptional, oformat, nil, nil) >= 0, let trial = trialOptional else { return false }
        defer { avformat_free_context(trial) }
        guard let v = avformat_new_stream(trial, nil), let a = avformat_new_stream(trial, nil) else { return false }
        avcodec_parameters_copy(v.pointee.codecpar, video)
        v.pointee.time_base = AVRational(num: 1, den: 90000)
        avcodec_parameters_copy(a.pointee.codecpar, audio.parameters)
        a.pointee.codecpar.pointee.codec_tag = 0
        a.pointee.time_base = audio.timeBase
        guard avio_open_dyn_buf(&trial.pointee.pb) >= 0 else { return false }
        defer {
            var buffer: UnsafeMutablePointer<UInt8>?
            avio_close_dyn_buf(trial.pointee.pb, &buffer)
            av_free(buffer)
            trial.pointee.pb = nil
        }
        return avformat_write_header(trial, nil) >= 0
    }

    /// Why the muxer refused to start, in the user's terms: the usual causes are a container that cannot take
    /// the codec and an MP4 (which is finished by seeking back) written to a pipe.
    private static func describeHeaderFailure(_ code: Int32, container: String, codec: UnsafePointer<AVCodec>,
                                              seekable: Bool) -> String {
        let message = AVResult.message(code)
        guard code == cff_averror(EINVAL) else { return message }
        if !seekable && fragmentableFormats.contains(container) {
            return "\(container) needs a seekable file; on a pipe use --fragmented, -f mpegts or -f matroska"
        }
        let codecName = String(cString: avcodec_get_name(codec.pointee.id))
        return "the \(container) container refused \(codecName) video (\(message)); use .mp4 .mkv .mov .ts .flv or .nut"
    }

    /// Muxers that write fragmented MP4/MOV (`movflags frag_keyframe`).
    private static let fragmentableFormats: Set<String> = ["mp4", "mov", "ipod", "ismv", "3gp", "3g2", "psp", "f4v"]

    private static func release(_ ctx: UnsafeMutablePointer<AVFormatContext>, _ enc: UnsafeMutablePointer<AVCodecContext>) {
        var encoder: UnsafeMutablePointer<AVCodecContext>? = enc
        avcodec_free_context(&encoder)
        avformat_free_context(ctx)
    }
}
