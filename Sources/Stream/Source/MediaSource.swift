import CFFmpeg
import Synchronization

/// Options that shape what a ``MediaSource`` yields.
public struct SourceOptions: Sendable {
    /// Scale frames to this size (default: the input's size, rounded down to even numbers).
    public var size: FrameSize?
    /// Resample to a constant frame rate (duplicating or dropping frames), like `ffmpeg -r`.
    public var fps: Double?
    /// Decoder threads (0 = FFmpeg's automatic choice).
    public var threads: Int = 0
    /// Force the input format (`-f` before `-i` in FFmpeg).
    public var format: String?
    /// Demuxer/device options, e.g. `video_size`, `framerate`, `input_format` for V4L2.
    public var demuxerOptions: [String: String] = [:]
    /// Seconds a network input may send nothing before reading gives up (nil: wait forever). Before the first
    /// frame that is an error; later, the end of the input (with ``MediaSource/readWarning`` saying why).
    public var stallTimeout: Double? = SourceOptions.defaultStallTimeout
    /// Seconds a network input may send nothing, unless the caller says otherwise.
    public static let defaultStallTimeout = 10.0
    /// The video stream to read, numbered as `facelive probe` lists streams; nil: the one `ffmpeg` picks.
    public var streamIndex: Int?

    public init(size: FrameSize? = nil, fps: Double? = nil, threads: Int = 0) {
        self.size = size
        self.fps = fps
        self.threads = threads
    }
}

/// Reads and decodes video (and picks up audio packets for pass-through) from anything FFmpeg opens:
/// files, stdin, network URLs, V4L2 devices and lavfi graphs.
public final class MediaSource: FrameSource, @unchecked Sendable {
    public let video: VideoStreamInfo
    public let audio: AudioTrack?
    public let isLive: Bool
    public var audioHandler: (@Sendable (AudioPacket) -> Void)?
    /// Packets the decoder rejected (corrupt data); decoding carries on past them.
    public private(set) var corruptPackets = 0
    /// Why reading ended early, if it did (an I/O error rather than a clean end of file).
    public private(set) var readWarning: String?
    /// Things done to the pictures worth telling the user once (turned upright, size rounded to even).
    public let notes: [String]
    /// The turn applied to every picture (from the stream's display matrix).
    public let rotation: FrameRotation

    private let input: InputContext
    private let decoder: CodecContext
    private let videoIndex: Int32
    private let audioIndex: Int32
    private let streamTimeBase: AVRational
    private let outputTimeBase: AVRational
    private let size: FrameSize
    private let options: SourceOptions
    private let converter: PixelConverter
    private let packet = AVPacketBox()
    /// A decoded picture and when it left the decoder (latency is measured from there).
    private struct Decoded {
        var frame: AVFrameBox
        var decodedAt: ContinuousClock.Instant
    }
    private var rateConverter: FrameRateConverter<Decoded>?
    private var ready: [(decoded: Decoded, pts: Int64)] = []
    private var emitted = 0
    private var lastPts: Int64?
    private var lastDuration: Int64 = 1
    private var inputEnded = false
    private var decoderDrained = false

    /// Opens `input` (path, `-`, URL, `/dev/videoN`, or `lavfi:GRAPH`).
    public init(_ input: String, options: SourceOptions = SourceOptions(), converter: PixelConverter = PixelConverter()) throws(StreamError) {
        let location = InputLocation(input)
        let ctx = try InputContext(location, name: input, format: options.format, options: options.demuxerOptions,
                                   stallTimeout: options.stallTimeout)
        self.input = ctx
        self.options = options
        self.converter = converter
        self.isLive = location.isLive

        let index = try VideoStreamSelection.choose(in: ctx, requested: options.streamIndex)
        guard let stream = ctx.pointer.pointee.streams[Int(index)] else { throw .noVideoStream(input) }
        guard let codec = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id) else {
            throw .unsupportedCodec(input, codec: String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id)))
        }
        videoIndex = index
        streamTimeBase = stream.pointee.time_base

        decoder = CodecContext(codec)
        let dec = decoder.pointer
        avcodec_parameters_to_context(dec, stream.pointee.codecpar)
        dec.pointee.thread_count = Int32(options.threads)
        // Frame threads each hold pictures of their own: at 4K and up that is ~100 MB more (8K H.264, 2 threads:
        // 310 vs 205 MB peak) for a decoder that is not the bottleneck there, so large pictures use slice threads.
        let large = Int(dec.pointee.width) * Int(dec.pointee.height) >= 3840 * 2160
        dec.pointee.thread_type = large ? FF_THREAD_SLICE : FF_THREAD_FRAME | FF_THREAD_SLICE
        dec.pointee.pkt_timebase = stream.pointee.time_base
        let opened = decoder.open().code
        if opened < 0 {
            throw .ffmpeg(operation: "opening the \(String(cString: codec.pointee.name)) decoder", message: AVResult.message(opened))
        }

        let audioStream = av_find_best_stream(ctx.pointer, AVMEDIA_TYPE_AUDIO, -1, index, nil, 0)
        if audioStream >= 0, let a = ctx.pointer.pointee.streams[Int(audioStream)] {
            audioIndex = audioStream
            audio = AudioTrack(copying: a.pointee.codecpar, timeBase: a.pointee.time_base)
        } else {
            audioIndex = -1
            audio = nil
        }
        for (i, s) in ctx.streams.enumerated() where Int32(i) != videoIndex && Int32(i) != audioIndex {
            s.pointee.discard = AVDISCARD_ALL
        }

        let params = stream.pointee.codecpar.pointee
        guard params.width > 0, params.height > 0 else {
            throw .cannotOpenInput(input, reason: "no picture size could be read from it (corrupt, or not a picture?)")
        }
        rotation = FrameRotation(displayMatrixOf: stream)
        let sourceSize = rotation.turning(FrameSize(width: Int(params.width), height: Int(params.height)))
        guard (sourceSize.width > 1 && sourceSize.height > 1) || options.size != nil else {
            throw .cannotOpenInput(input, reason: "the picture is \(sourceSize), too small to process (at least 2x2; --size scales it)")
        }
        size = options.size ?? FrameSize(width: sourceSize.width & ~1, height: sourceSize.height & ~1)
        var notes: [String] = []
        if rotation != .none { notes.append("turned \(rotation.rawValue)° clockwise to stand upright, as the input's display matrix asks") }
        if options.size == nil, size != sourceSize {
            notes.append("\(sourceSize) rounded down to \(size): the encoder's 4:2:0 chroma needs even sizes")
        }
        self.notes = notes

        let guessed = av_guess_frame_rate(ctx.pointer, stream, nil)
        let nativeRate = guessed.num > 0 && guessed.den > 0 ? guessed.doubleValue : 25
        if let fps = options.fps {
            rateConverter = FrameRateConverter(fps: fps)
            outputTimeBase = av_inv_q(av_d2q(fps, 1_000_000))
        } else {
            outputTimeBase = streamTimeBase
        }
        lastDuration = max(1, Int64((1 / nativeRate / streamTimeBase.doubleValue).rounded()))

        let streamFrames = Int(stream.pointee.nb_frames)
        var count: Int? = streamFrames > 0 ? streamFrames : nil
        if let fps = options.fps, let d = ctx.duration { count = Int((d * fps).rounded()) }
        let format = AVPixelFormat(rawValue: params.format)
        video = VideoStreamInfo(
            codec: String(cString: avcodec_get_name(params.codec_id)),
            width: size.width, height: size.height,
            sourceWidth: sourceSize.width, sourceHeight: sourceSize.height,
            pixelFormat: format.name,
            frameRate: options.fps ?? nativeRate,
            duration: stream.pointee.duration > 0
                ? Double(stream.pointee.duration) * streamTimeBase.doubleValue : ctx.duration,
            frameCount: count,
            timeBaseNum: outputTimeBase.num, timeBaseDen: outputTimeBase.den,
            colorPrimaries: params.color_primaries.rawValue,
            colorTransfer: params.color_trc.rawValue,
            colorSpace: params.color_space.rawValue)
    }

    public func stop() { input.interrupt.raise() }

    public func nextFrame() throws(StreamError) -> VideoFrame? {
        while ready.isEmpty {
            guard let decoded = try decodeNext() else {
                if var rc = rateConverter {
                    let end = Double((lastPts ?? 0) + lastDuration) * streamTimeBase.doubleValue
                    ready = rc.finish(endTime: end).map { ($0.frame, slotPts($0.slot, rc)) }
                    rateConverter = rc
                }
                if ready.isEmpty {
                    if emitted == 0 { throw input.stallError ?? input.unseekableIndexError ?? .noFramesDecoded(input.name) }
                    return nil
                }
                break
            }
            if var rc = rateConverter {
                let time = Double(decoded.pts) * streamTimeBase.doubleValue
                ready = rc.push(decoded.decoded, time: time).map { ($0.frame, slotPts($0.slot, rc)) }
                rateConverter = rc
            } else {
                ready = [(decoded.decoded, decoded.pts)]
            }
        }
        let next = ready.removeFirst()
        defer { emitted += 1 }
        return VideoFrame(decoded: next.decoded.frame, size: size, index: emitted, pts: next.pts,
                          timeBase: outputTimeBase, capturedAt: next.decoded.decodedAt, converter: converter)
    }

    private func slotPts(_ slot: Int, _ rc: FrameRateConverter<Decoded>) -> Int64 {
        Int64(((rc.origin ?? 0) / outputTimeBase.doubleValue).rounded()) + Int64(slot)
    }

    /// Decodes the next picture with a monotonic timestamp in the stream's time base; nil when drained.
    private func decodeNext() throws(StreamError) -> (decoded: Decoded, pts: Int64)? {
        while !decoderDrained {
            let frame = AVFrameBox()
            let received = avcodec_receive_frame(decoder.pointer, frame.pointer)
            if received >= 0 {
                let pts = timestamp(of: frame)
                let picture = rotation == .none ? frame : try converter.upright(frame, rotation: rotation)
                return (Decoded(frame: picture, decodedAt: .now), pts)
            }
            if received == CFF_AVERROR_EOF {
                decoderDrained = true
                break
            }
            if received != CFF_AVERROR_EAGAIN { corruptPackets += 1 }
            if inputEnded {
                // Draining: EAGAIN after a flush packet should not happen; treat as the end.
                if received == CFF_AVERROR_EAGAIN { decoderDrained = true }
                continue
            }
            feedDecoder()
        }
        return nil
    }

    /// Reads packets until one is sent to the video decoder (audio goes to the handler), or the input ends.
    private func feedDecoder() {
        while true {
            let read = input.readPacket(into: packet.pointer)
            if read < 0 {
                if let stall = input.stallError {
                    readWarning = stall.description
                } else if read != CFF_AVERROR_EOF && read != CFF_AVERROR_EXIT {
                    readWarning = AVResult.message(read)
                }
                inputEnded = true
                avcodec_send_packet(decoder.pointer, nil)
                return
            }
            let index = packet.pointer.pointee.stream_index
            if index == videoIndex {
                let sent = avcodec_send_packet(decoder.pointer, packet.pointer)
                av_packet_unref(packet.pointer)
                if sent < 0 && sent != CFF_AVERROR_EAGAIN { corruptPackets += 1 }
                return
            }
            if index == audioIndex, let audio, let handler = audioHandler {
                handler(AudioPacket(packet: AVPacketBox(moving: packet.pointer), timeBase: audio.timeBase))
            } else {
                av_packet_unref(packet.pointer)
            }
        }
    }

    private func timestamp(of frame: AVFrameBox) -> Int64 {
        var pts = frame.pointer.pointee.best_effort_timestamp
        if pts == CFF_AV_NOPTS_VALUE { pts = (lastPts ?? -lastDuration) + lastDuration }
        if let last = lastPts {
            if pts <= last { pts = last + 1 } else { lastDuration = pts - last }
        }
        lastPts = pts
        return pts
    }
}
