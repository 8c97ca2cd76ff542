// Colour conversion cost in the real pipeline: libyuv vs swscale for yuv420p → RGB (first look at a frame) plus
// RGB → yuv420p (hand-off to the encoder), per frame, at the clip's size.
// Usage: swift run -c release stream-bench CLIP [rounds]
import Foundation
import Stream

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: stream-bench CLIP [rounds]\n".utf8))
    exit(2)
}
let clip = arguments[1]
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
FFmpegLog.configure(verbose: false)

func convertMilliseconds(libyuv: Bool) throws -> Double {
    let converter = PixelConverter(useLibyuv: libyuv)
    let source = try MediaSource(clip, converter: converter)
    var settings = EncoderSettings()
    settings.format = "null"
    settings.preset = "ultrafast"
    let sink = try MediaSink("-", video: source.video, audio: nil, settings: settings)
    let touch = ClosureProcessor(name: "touch") { frame in try frame.modifyImage { $0.pixels[0] ^= 1 } }
    let report = try Pipeline(source: source, processors: [touch], sink: sink, policy: .lossless).run()
    return report.stages["convert"]?.p50Ms ?? .nan
}

var results: [Bool: [Double]] = [true: [], false: []]
for _ in 0..<rounds {
    for libyuv in [true, false] { results[libyuv]!.append(try convertMilliseconds(libyuv: libyuv)) }
}
func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
let yuv = median(results[true]!), sws = median(results[false]!)
print(String(format: "%@: convert per frame (to RGB + back), median of %d rounds of per-frame p50: libyuv %.2f ms, swscale %.2f ms (%.1f×)",
             (clip as NSString).lastPathComponent, rounds, yuv, sws, sws / yuv))
