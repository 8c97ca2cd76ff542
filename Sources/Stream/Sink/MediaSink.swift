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
    private let output: OutputContext
    private let encoder: CodecContext
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
        if let format = settings.format, !DeviceLibrary.hasOutputFormat(format) {
            throw .unknownOutputFormat("\(path) (-f \(format))")
        }
        if path == "-" && settings.format == nil {
            throw .unknownOutputFormat("- (stdout needs -f FORMAT, e.g. -f mpegts)")
        }
        guard let output = OutputContext(format: settings.format, url: url),
              output.format.pointee.video_codec != AV_CODEC_ID_NONE else { throw .unknownOutputFormat(path) }
        self.output = output
        let oformat = output.format
        let containerName = String(cString: oformat.pointee.name)
        if settings.fragmented && !Self.fragmentableFormats.contains(containerName) {
            throw .cannotOpenOutput(path, reason: "fragmented output needs an MP4 or MOV container, not \(containerName) (mkv and ts play after a kill as they are)")
        }

        guard let codec = avcodec_find_encoder_by_name(settings.codec) else { throw .encoderUnavailable(settings.codec) }
        let encoder = CodecContext(codec)
        self.encoder = encoder
        if avformat_query_codec(oformat, codec.pointee.id, FF_COMPLIANCE_NORMAL) == 0 {
            throw .cannotOpenOutput(path, reason: "the \(containerName) container cannot carry \(encoder.codecName) video; use .mp4 .mkv .mov .ts .flv or .nut")
        }
        let enc = encoder.pointer
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

        var encoderOptions: [(key: String, value: String)] = []
        if let preset = settings.preset { encoderOptions.append(("preset", preset)) }
        if let tune = settings.tune { encoderOptions.append(("tune", tune)) }
        if let crf = settings.crf { encoderOptions.append(("crf", String(crf))) }
        if settings.codec == "libx264", settings.tune != "zerolatency",
           let lean = X264Footprint.within(settings.memoryBudget, pictureBytes: video.width * video.height * 3 / 2) {
            enc.pointee.thread_type = FF_THREAD_SLICE
            encoderOptions.append(("x264-params", lean.parameters))
        }
        let opened = encoder.open(options: encoderOptions)
        guard opened.code >= 0 else {
            let tried = encoderOptions.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            throw .invalidEncoderOption(name: settings.codec, value: "\(tried) (\(AVResult.message(opened.code)))")
        }
        if let unused = opened.unused { throw .invalidEncoderOption(name: unused.key, value: unused.value) }

        let vs = output.addStream()
        videoStream = vs
        avcodec_parameters_from_context(vs.pointee.codecpar, enc)
        vs.pointee.time_base = timeBase
        vs.pointee.avg_frame_rate = enc.pointee.framerate

        if let audio {
            if Self.muxer(oformat, accepts: audio, besides: vs.pointee.codecpar) {
                let st = output.addStream()
                avcodec_parameters_copy(st.pointee.codecpar, audio.parameters)
                st.pointee.codecpar.pointee.codec_tag = 0
                st.pointee.time_base = audio.timeBase
                audioStream = st
            } else {
                warnings.append("audio (\(audio.codec), \(audio.sampleRate) Hz) dropped: the \(containerName) container cannot carry it")
            }
        }
        let ctx = output.pointer
        // In key order: a dictionary's own order changes from process to process, and so would the file's bytes.
        for (key, value) in settings.metadata.sorted(by: { $0.key < $1.key }) {
            av_dict_set(&ctx.pointee.metadata, key, value, 0)
        }

        let fileOpened = output.openFile(url)
        if fileOpened < 0 { throw .cannotOpenOutput(path, reason: AVResult.message(fileOpened)) }
        var muxerOptions: OpaquePointer?
        defer { av_dict_free(&muxerOptions) }
        var movFlags: [String] = []
        if !settings.metadata.isEmpty { movFlags.append("use_metadata_tags") }
        if settings.fragmented { movFlags.append("frag_keyframe+empty_moov+default_base_moof") }
        if !movFlags.isEmpty { av_dict_set(&muxerOptions, "movflags", movFlags.joined(separator: "+"), 0) }
        let header = avformat_write_header(ctx, &muxerOptions)
        if header < 0 {
            throw .cannotOpenOutput(path, reason: Self.describeHeaderFailure(header, container: containerName, codec: encoder.codecName,
                                                                          seekable: ctx.pointee.pb.map { $0.pointee.seekable != 0 } ?? true))
        }
        headerWritten = true
    }

    // Also runs when init throws after every property is set: it removes whatever was written. A sink dropped
    // without finish() belongs to a job that did not succeed. `output` and `encoder` free themselves afterwards.
    deinit {
        if headerWritten {
            discard()
        } else {
            output.closeFile()
            staged?.discard()
        }
    }

    public func write(_ frame: VideoFrame) throws(StreamError) {
        let picture = try frame.encoderFrame()
        // A reference of our own: the same decoded picture may be sent twice (frame-rate conversion).
        guard let ref = av_frame_clone(picture.pointer) else { fatalError("av_frame_clone: out of memory") }
        let owned = AVFrameBox(adopting: ref)
        var pts = av_rescale_q(frame.pts, frame.timeBase, encoder.pointer.pointee.time_base)
            - Self.ticks(startTime, encoder.pointer.pointee.time_base)
        if let last = lastPts, pts <= last { pts = last + 1 }
        lastPts = pts
        owned.pointer.pointee.pts = pts
        owned.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
        videoEnd = max(videoEnd, frame.time + frameDuration)
        try AVResult.check(avcodec_send_frame(encoder.pointer, owned.pointer), "encoding frame \(frame.index)")
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
            try AVResult.check(avcodec_send_frame(encoder.pointer, nil), "flushing the encoder")
            try drainEncoder()
            try flushAudio(before: complete ? .infinity : videoEnd)
        } catch {
            firstError = error
        }
        pendingAudio.removeAll()
        let trailer = av_write_trailer(output.pointer)
        output.closeFile()
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
        output.closeFile()
        staged.discard()
    }

    private func drainEncoder() throws(StreamError) {
        while true {
            let received = avcodec_receive_packet(encoder.pointer, packet.pointer)
            if received == CFF_AVERROR_EAGAIN || received == CFF_AVERROR_EOF { return }
            try AVResult.check(received, "encoding")
            av_packet_rescale_ts(packet.pointer, encoder.pointer.pointee.time_base, videoStream.pointee.time_base)
            packet.pointer.pointee.stream_index = videoStream.pointee.index
            try AVResult.check(av_interleaved_write_frame(output.pointer, packet.pointer), "writing \(name)")
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
            try AVResult.check(av_interleaved_write_frame(output.pointer, p), "writing audio to \(name)")
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
        guard let trial = OutputContext(oformat) else { return false }
        let v = trial.addStream(), a = trial.addStream()
        avcodec_parameters_copy(v.pointee.codecpar, video)
        v.pointee.time_base = AVRational(num: 1, den: 90000)
        avcodec_parameters_copy(a.pointee.codecpar, audio.parameters)
        a.pointee.codecpar.pointee.codec_tag = 0
        a.pointee.time_base = audio.timeBase
        return trial.writesHeaderToMemory()
    }

    /// Why the muxer refused to start, in the user's terms: the usual causes are a container that cannot take
    /// the codec and an MP4 (which is finished by seeking back) written to a pipe.
    private static func describeHeaderFailure(_ code: Int32, container: String, codec codecName: String,
                                              seekable: Bool) -> String {
        let message = AVResult.message(code)
        guard code == cff_averror(EINVAL) else { return message }
        if !seekable && fragmentableFormats.contains(container) {
            return "\(container) needs a seekable file; on a pipe use --fragmented, -f mpegts or -f matroska"
        }
        return "the \(container) container refused \(codecName) video (\(message)); use .mp4 .mkv .mov .ts .flv or .nut"
    }

    /// Muxers that write fragmented MP4/MOV (`movflags frag_keyframe`).
    private static let fragmentableFormats: Set<String> = ["mp4", "mov", "ipod", "ismv", "3gp", "3g2", "psp", "f4v"]
}
