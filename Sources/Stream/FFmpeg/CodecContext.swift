import CFFmpeg

/// Owns one `AVCodecContext` (an encoder or a decoder) and frees it when released, so no error path frees by hand.
final class CodecContext {
    let pointer: UnsafeMutablePointer<AVCodecContext>
    let codec: UnsafePointer<AVCodec>

    /// A context for `codec`, not yet opened: set its fields, then ``open(options:)``.
    init(_ codec: UnsafePointer<AVCodec>) {
        guard let context = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        pointer = context
        self.codec = codec
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }

    /// Opens the codec with private `options` (`preset`, `crf`…). Returns FFmpeg's result code and the first
    /// option the codec did not take (a typo or an option of another codec).
    func open(options: [(key: String, value: String)] = []) -> (code: Int32, unused: (key: String, value: String)?) {
        var dict: OpaquePointer?
        defer { av_dict_free(&dict) }
        for (key, value) in options { av_dict_set(&dict, key, value, 0) }
        let code = avcodec_open2(pointer, codec, &dict)
        guard code >= 0, let leftover = av_dict_get(dict, "", nil, AV_DICT_IGNORE_SUFFIX) else { return (code, nil) }
        return (code, (String(cString: leftover.pointee.key), String(cString: leftover.pointee.value)))
    }

    /// FFmpeg's name for the codec (`h264`, `png`…).
    var codecName: String { String(cString: avcodec_get_name(codec.pointee.id)) }
}
