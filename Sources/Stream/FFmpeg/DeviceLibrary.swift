import CFFmpeg
#if canImport(Glibc)
import Glibc
#endif

/// libavdevice — FFmpeg's capture devices and virtual inputs (`v4l2`, `lavfi`, `x11grab`, `alsa`, `pulse`…) —
/// loaded the first time an input or output names one of its formats.
///
/// Linking it would load it, and libavfilter with some 75 more libraries (speech synthesis, SVG, GL, Vulkan,
/// JACK, SDL…), into every run: 15 MB of resident memory at 1080p (docs/BENCHMARKS.md, "Memory") and a slower
/// start, for a file conversion that never touches a device.
enum DeviceLibrary {
    /// Makes libavdevice's formats known to libavformat (once per process); false when it cannot be loaded.
    static func register() -> Bool { registered }

    /// The library's name on disk, by the major version facelive was built against, then the development link.
    static let candidates = ["libavdevice.so.\(LIBAVDEVICE_VERSION_MAJOR)", "libavdevice.so"]

    private static let registered: Bool = {
        for name in candidates {
            // Kept loaded for the life of the process: the formats it registers point into it.
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, "avdevice_register_all") else {
                continue
            }
            typealias RegisterAll = @convention(c) () -> Void
            unsafeBitCast(symbol, to: RegisterAll.self)()
            return true
        }
        return false
    }()

    /// The input format `name`, registering the device formats first when libavformat alone does not know it.
    static func inputFormat(_ name: String) -> UnsafePointer<AVInputFormat>? {
        if let found = av_find_input_format(name) { return found }
        return register() ? av_find_input_format(name) : nil
    }

    /// Whether an output format `name` exists, registering the device formats first when needed.
    static func hasOutputFormat(_ name: String) -> Bool {
        if av_guess_format(name, nil, nil) != nil { return true }
        return register() && av_guess_format(name, nil, nil) != nil
    }
}
