// Times the per-face swap stages (align, mask, mesh swap, merge) on a real frame: the first frame of a clip with a
// face, landmarks from the detector and landmarker once, then many repetitions of each stage. Prints one JSON line.
//
//   swift build -c release --product swap-bench
//   .build/release/swap-bench --video CLIP.mp4 [--face PHOTO] [--skip N] [--iterations N] [--only NAME] [--max-face-width PX]
//
// `--only merge` times that one stage alone (names as in the output), e.g. under `perf record`.
import Face
import Foundation
import Stream
import Swap

HeapPolicy.configure()  // as `facelive` runs: the merge's cost depends on how the heap hands its buffers back

var video: String?
var photo: String?
var skip = 30
var iterations = 200
var only: String?
var maxFaceWidth: Float?
var arguments = CommandLine.arguments.dropFirst()
while let arg = arguments.popFirst() {
    switch arg {
    case "--video": video = arguments.popFirst()
    case "--face": photo = arguments.popFirst()
    case "--skip": skip = Int(arguments.popFirst() ?? "") ?? skip
    case "--iterations": iterations = Int(arguments.popFirst() ?? "") ?? iterations
    case "--only": only = arguments.popFirst()
    case "--max-face-width": maxFaceWidth = Float(arguments.popFirst() ?? "")
    default:
        FileHandle.standardError.write(Data("usage: swap-bench --video CLIP [--face PHOTO] [--skip N] [--iterations N] [--only NAME] [--max-face-width PX]\n".utf8))
        exit(2)
    }
}
guard let video else {
    FileHandle.standardError.write(Data("swap-bench: --video is required\n".utf8))
    exit(2)
}

let locator = ModelLocator()
let landmarker = try FaceLandmarker(locator: locator)
let detector = try FaceDetector(model: .fullRange, locator: locator)
var options = MeshSwapper.Options()
if let maxFaceWidth { options.maxFaceWidth = maxFaceWidth > 0 ? maxFaceWidth : nil }
let swapper = try MeshSwapper.fromPhoto(
    photo ?? locator.url(forFile: "astronaut_public_domain.png").path, landmarker: landmarker, locator: locator,
    options: options)

// The first frame after `skip` with a face.
let source = try MediaSource(video)
var found: (RGBImage, FaceLandmarks)?
var index = 0
while found == nil, let frame = try source.nextFrame() {
    defer { index += 1 }
    guard index >= skip else { continue }
    let image = try frame.image
    guard let face = detector.detect(in: image).first,
          var landmarks = landmarker.landmarks(in: image, roi: FaceLandmarker.roi(from: face)) else { continue }
    if let refined = landmarker.landmarks(in: image, roi: FaceLandmarker.roi(from: landmarks)) { landmarks = refined }
    found = (image, landmarks)
}
guard let (frame, landmarks) = found else {
    FileHandle.standardError.write(Data("swap-bench: no face in \(video)\n".utf8))
    exit(1)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

var results: [(String, (median: Double, p10: Double, p90: Double, mean: Double))] = []

/// Records the median, 10th/90th percentile and mean milliseconds of `body` over `iterations` runs (after a warm-up)
/// as `name`, unless `--only` names another stage.
@MainActor func measure(_ name: String, _ body: () throws -> Void) rethrows {
    guard only == nil || only == name else { return }
    for _ in 0..<max(5, iterations / 10) { try body() }
    var times: [Double] = []
    for _ in 0..<iterations {
        let start = now()
        try body()
        times.append(Double(now() - start) / 1e6)
    }
    let mean = times.reduce(0, +) / Double(times.count)
    times.sort()
    results.append((name, (times[times.count / 2], times[times.count / 10], times[times.count * 9 / 10], mean)))
}

let pose = HeadPose(landmarks: landmarks)
let input = FaceSwapInput(frame: frame, landmarks: landmarks, pose: pose)
let merger = FaceMerger()
/// The merge before issue 13 (Reinhard colour transfer, alpha blend, no glasses), timed in the same run.
let plainMerger: FaceMerger = {
    var options = FaceMerger.Options()
    options.relighting.strength = 0
    options.blend = .alpha
    options.keepGlasses = .off
    options.keepHair = .off
    return FaceMerger(options: options)
}()
/// The default merge without the target's hair kept (``HairOcclusion``): its cost, in the same run.
let hairlessMerger: FaceMerger = {
    var options = FaceMerger.Options()
    options.keepHair = .off
    return FaceMerger(options: options)
}()
/// The default merge without the target's side light (``Relighting/sideLight``): its cost, in the same run.
let flatMerger: FaceMerger = {
    var options = FaceMerger.Options()
    options.relighting.sideLight = 0
    return FaceMerger(options: options)
}()
/// The default merge with the target's glasses always kept: detection, the rims' fit and the frames' mask each time.
let glassesMerger: FaceMerger = {
    var options = FaceMerger.Options()
    options.keepGlasses = .on
    return FaceMerger(options: options)
}()
/// The default merge with the gradient-domain blend instead of the multi-band one.
let poissonMerger: FaceMerger = {
    var options = FaceMerger.Options()
    options.blend = .poisson
    return FaceMerger(options: options)
}()
guard let swapped = try swapper.swap(input) else {
    FileHandle.standardError.write(Data("swap-bench: the swapper skipped the face (yaw \(pose.yaw))\n".utf8))
    exit(1)
}
try measure("align") { _ = try FaceAligner().align(frame, landmarks: landmarks, pose: pose) }
try measure("swap") { _ = try swapper.swap(input) }
measure("mask") { _ = merger.mask(for: swapped, landmarks: landmarks) }
measure("merge") {
    var out = frame
    merger.merge(swapped, landmarks: landmarks, into: &out)
}
measure("merge (hair off)") {
    var out = frame
    hairlessMerger.merge(swapped, landmarks: landmarks, into: &out)
}
measure("merge (side light off)") {
    var out = frame
    flatMerger.merge(swapped, landmarks: landmarks, into: &out)
}
measure("merge (rct, alpha)") {
    var out = frame
    plainMerger.merge(swapped, landmarks: landmarks, into: &out)
}
measure("merge (glasses on)") {
    var out = frame
    glassesMerger.merge(swapped, landmarks: landmarks, into: &out)
}
try measure("swap+merge") {
    var out = frame
    if let s = try swapper.swap(input) { merger.merge(s, landmarks: landmarks, into: &out) }
}
// As the pipeline runs one tracked face, frame after frame: its glasses judged over time (``GlassesTrack``), so a
// face without them is looked at every few frames. The mean is the cost per frame.
var tracked = GlassesTrack()
try measure("swap+merge (tracked)") {
    var out = frame
    if let s = try swapper.swap(input) { merger.merge(s, landmarks: landmarks, into: &out, glasses: &tracked) }
}
// Last: its larger allocations must not change the default path's figures above.
measure("merge (poisson)") {
    var out = frame
    poissonMerger.merge(swapped, landmarks: landmarks, into: &out)
}
let fields = results.map { name, t in
    String(format: #""%@": {"median_ms": %.3f, "p10_ms": %.3f, "p90_ms": %.3f, "mean_ms": %.3f}"#, name, t.median, t.p10,
           t.p90, t.mean)
}
print("{\"video\": \"\((video as NSString).lastPathComponent)\", \"frame\": \(index - 1), "
      + "\"box\": [\(swapped.image.width), \(swapped.image.height)], " + fields.joined(separator: ", ") + "}")
