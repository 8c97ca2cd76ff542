import CFFmpeg
import Foundation
import Synchronization

/// A flag FFmpeg polls during blocking I/O; raising it makes reads return `AVERROR_EXIT`.
///
/// It doubles as a stall watchdog: while a deadline is armed, a read still blocked when it passes is
/// interrupted the same way, and ``hasStalled`` tells that apart from a stop request.
final class InterruptFlag: Sendable {
    private let raised = Atomic(false)
    /// Monotonic nanoseconds after which a blocked read gives up; 0: no deadline.
    private let deadline = Atomic<Int64>(0)
    private let stalled = Atomic(false)

    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Gives the next blocking call `seconds` (nil: no limit) to receive data.
    func arm(_ seconds: Double?) {
        guard let seconds else { return }
        deadline.store(Self.now + Int64(seconds * 1e9), ordering: .relaxed)
    }

    /// True once a read was interrupted because the deadline passed.
    var hasStalled: Bool { stalled.load(ordering: .relaxed) }

    /// What FFmpeg's interrupt callback asks.
    var shouldInterrupt: Bool {
        if isRaised { return true }
        let limit = deadline.load(ordering: .relaxed)
        guard limit != 0, Self.now > limit else { return false }
        stalled.store(true, ordering: .relaxed)
        return true
    }

    private static var now: Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// An opened demuxer (`AVFormatContext`) for an ``InputLocation``, with stream info read.
final class InputContext: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFormatContext>
    let location: InputLocation
    let interrupt = InterruptFlag()
    /// The text the user gave, for messages.
    let name: String
    /// Seconds a network read may wait for data (nil: forever).
    let stallTimeout: Double?

    /// Opens `location`. `format` forces a demuxer (`-f`); `options` go to the demuxer/protocol (`video_size`…).
    /// A network input that sends nothing for `stallTimeout` seconds (nil: no limit) fails with
    /// ``StreamError/inputStalled(_:seconds:)``; other inputs ignore it.
    init(_ location: InputLocation, name: String, format: String? = nil, options: [String: String] = [:],
         stallTimeout: Double? = SourceOptions.defaultStallTimeout) throws(StreamError) {
        self.location = location
        self.name = name
        if case .url = location { self.stallTimeout = stallTimeout } else { self.stallTimeout = nil }
        if case .file(let path) = location {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .inputNotFound(path)
            }
            if isDirectory.boolValue { throw .cannotOpenInput(path, reason: "is a directory") }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw .cannotOpenInput(path, reason: "permission denied")
            }
        }
        let (url, impliedFormat) = location.ffmpegURL
        let formatName = format ?? impliedFormat
        var inputFormat: UnsafePointer<AVInputFormat>?
        if let formatName {
            guard let found = DeviceLibrary.inputFormat(formatName) else {
                throw .cannotOpenInput(name, reason: "unknown input format '\(formatName)'")
            }
            inputFormat = found
        }
        guard var ctx = avformat_alloc_context() else { fatalError("avformat_alloc_context: out of memory") }
        ctx.pointee.interrupt_callback.callback = { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<InterruptFlag>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt ? 1 : 0
        }
        ctx.pointee.interrupt_callback.opaque = Unmanaged.passUnretained(interrupt).toOpaque()

        var dict: OpaquePointer?
        defer { av_dict_free(&dict) }
        for (key, value) in options { av_dict_set(&dict, key, value, 0) }

        // The watchdog covers what rw_timeout does not: a UDP socket or a listening TCP port nobody feeds.
        interrupt.arm(self.stallTimeout)
        var ctxOptional: UnsafeMutablePointer<AVFormatContext>? = ctx
        let opened = avformat_open_input(&ctxOptional, url, inputFormat, &dict)
        guard opened >= 0, let openedCtx = ctxOptional else {
            if interrupt.hasStalled, let stallTimeout = self.stallTimeout { throw .inputStalled(name, seconds: stallTimeout) }
            throw .cannotOpenInput(name, reason: Self.describeOpenFailure(opened, location: location))
        }
        ctx = openedCtx
        interrupt.arm(self.stallTimeout)
        let found = avformat_find_stream_info(ctx, nil)
        if found < 0 || interrupt.hasStalled {
            var toClose: UnsafeMutablePointer<AVFormatContext>? = ctx
            avformat_close_input(&toClose)
            if interrupt.hasStalled, let stallTimeout = self.stallTimeout { throw .inputStalled(name, seconds: stallTimeout) }
            throw .cannotOpenInput(name, reason: "cannot read stream info (\(AVResult.message(found)))")
        }
        pointer = ctx
    }

    /// Reads the next packet, giving a network input ``stallTimeout`` seconds to deliver it.
    func readPacket(into packet: UnsafeMutablePointer<AVPacket>) -> Int32 {
        interrupt.arm(stallTimeout)
        return av_read_frame(pointer, packet)
    }

    /// Why nothing could be decoded, when the cause is reading an MP4/MOV from a pipe: with its index (moov)
    /// at the end, the demuxer would have to seek back to the pictures.
    var unseekableIndexError: StreamError? {
        guard formatName.hasPrefix("mov,mp4"), let pb = pointer.pointee.pb, pb.pointee.seekable == 0 else { return nil }
        return .cannotOpenInput(name, reason: "an MP4/MOV with its index (moov) at the end cannot be read from a pipe; "
                                    + "remux it with 'ffmpeg -i IN -c copy -movflags faststart OUT.mp4', or send mkv or mpegts")
    }

    /// Why the last read failed, if the input stalled (rather than ended or was stopped).
    var stallError: StreamError? {
        guard interrupt.hasStalled, let stallTimeout else { return nil }
        return .inputStalled(name, seconds: stallTimeout)
    }

    deinit {
        var ctx: UnsafeMutablePointer<AVFormatContext>? = pointer
        avformat_close_input(&ctx)
    }

    /// The streams, in container order.
    var streams: [UnsafeMutablePointer<AVStream>] {
        (0..<Int(pointer.pointee.nb_streams)).compactMap { pointer.pointee.streams[$0] }
    }

    /// Container duration in seconds, when known.
    var duration: Double? {
        let d = pointer.pointee.duration
        return d == CFF_AV_NOPTS_VALUE || d <= 0 ? nil : Double(d) / Double(AV_TIME_BASE)
    }

    /// Container-level metadata tags.
    var metadata: [String: String] {
        var tags: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>?
        while let next = av_dict_get(pointer.pointee.metadata, "", entry, AV_DICT_IGNORE_SUFFIX) {
            tags[String(cString: next.pointee.key)] = String(cString: next.pointee.value)
            entry = next
        }
        return tags
    }

    /// Name of the container format (`mov,mp4,m4a,3gp,3g2,mj2`…).
    var formatName: String {
        guard let iformat = pointer.pointee.iformat else { return "unknown" }
        return String(cString: iformat.pointee.name)
    }

    private static func describeOpenFailure(_ code: Int32, location: InputLocation) -> String {
        if code == CFF_AVERROR_INVALIDDATA { return "not a media file FFmpeg can read (invalid data)" }
        if code == cff_averror(ENOENT), case .device = location { return "no such device" }
        return AVResult.message(code)
    }
}
