/// How much x264 keeps in memory, and the leaner settings that fit a budget.
///
/// x264's buffers grow with the picture: lookahead, B-frames, reference and frame-thread copies, each the size of
/// a picture or more. The figures are measured (peak RSS of an ffmpeg encode minus its decode, veryfast, 2
/// cores), in multiples of one yuv420p picture; docs/BENCHMARKS.md has the runs.
enum X264Footprint: CaseIterable {
    /// Frame threads, 10-frame lookahead with macroblock tree, B-frames.
    case usual
    /// Slice threads (one picture in flight), a 5-frame lookahead and one B-frame between references: files
    /// within ~0.3 dB of the usual settings at the same size.
    case slicedShortLookahead
    /// Slice threads, no lookahead, no B-frames: the least memory, files ~40 % larger at the same quality.
    case minimal

    /// Pictures' worth of memory held.
    var pictures: Int {
        switch self {
        case .usual: return 75
        case .slicedShortLookahead: return 36
        case .minimal: return 12
        }
    }

    /// The `x264-params` that select it.
    var parameters: String {
        switch self {
        case .usual: return ""
        case .slicedShortLookahead: return "sliced-threads=1:rc-lookahead=5:sync-lookahead=0:bframes=1"
        case .minimal: return "sliced-threads=1:rc-lookahead=0:sync-lookahead=0:bframes=0"
        }
    }

    /// The leanest change needed to stay within `budget` bytes, nil when the usual settings fit; the minimal
    /// settings when nothing fits (8K).
    static func within(_ budget: Int, pictureBytes: Int) -> X264Footprint? {
        let fitting = allCases.first { $0.pictures * pictureBytes <= budget } ?? .minimal
        return fitting == .usual ? nil : fitting
    }
}
