// Times one inference of each face and hand network on this runtime (1 BLAS thread), printing one JSON line per model.
// Called by scripts/bench_models.py, which times LiteRT on the same inputs in the same run.
//
//   swift build -c release --product neural-bench
//   .build/release/neural-bench [--golden DIR] [--iterations N] [--model NAME] [--profile]
//   .build/release/neural-bench --onnx FILE.dfm [--threads N] [--precision fp32|bf16] [--iterations N] [--profile] [--profile-steps]   (scripts/bench_dfm.py)
//   .build/release/neural-bench --hands VIDEO [--frames N]   # hand work per frame of a real clip (see the end)
import Face
import Foundation
import Neural
import Stream

var golden: String?
var iterations = 300
var profile = false
var profileSteps = false
var only: String?
var onnx: String?
var threads = 1
var precision = Precision.fp32
var handsVideo: String?
var handFrames = 300
var arguments = CommandLine.arguments.dropFirst()
while let arg = arguments.popFirst() {
    switch arg {
    case "--golden": golden = arguments.popFirst()
    case "--iterations": iterations = Int(arguments.popFirst() ?? "") ?? iterations
    case "--profile": profile = true
    case "--profile-steps": profileSteps = true
    case "--model": only = arguments.popFirst()
    case "--onnx": onnx = arguments.popFirst()
    case "--threads": threads = Int(arguments.popFirst() ?? "") ?? threads
    case "--precision": precision = Precision(rawValue: arguments.popFirst() ?? "") ?? precision
    case "--hands": handsVideo = arguments.popFirst()
    case "--frames": handFrames = Int(arguments.popFirst() ?? "") ?? handFrames
    default:
        FileHandle.standardError.write(Data("usage: neural-bench [--golden DIR] [--iterations N] [--model NAME] [--profile] | --onnx FILE.dfm [--threads N] [--precision fp32|bf16] [--profile-steps] | --hands VIDEO [--frames N]\n".utf8))
        exit(2)
    }
}

NeuralRuntime.setBLASThreadCount(threads)

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// CPU time of this process (all threads), in nanoseconds.
func cpuNow() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// Median time of `executor.run()` over `iterations` runs after a warm-up, in milliseconds; `cpu`: the median
/// CPU time per run (all threads), which time slices lost to other processes on a loaded machine do not inflate.
func medianMilliseconds(_ executor: GraphExecutor, iterations: Int) -> (median: Double, p10: Double, p90: Double, cpu: Double, cpuMin: Double) {
    for _ in 0..<max(3, iterations / 10) { executor.run() }
    var times: [Double] = [], cpu: [Double] = []
    for _ in 0..<iterations {
        let start = now(), startCPU = cpuNow()
        executor.run()
        times.append(Double(now() - start) / 1e6)
        cpu.append(Double(cpuNow() - startCPU) / 1e6)
    }
    times.sort()
    cpu.sort()
    return (times[times.count / 2], times[times.count / 10], times[times.count * 9 / 10], cpu[cpu.count / 2], cpu[0])
}

// A DeepFaceLive model: one face through the imported ONNX graph (morph bound at 0.75 for AMP models).
if let onnx {
    let file = try ONNXModel(contentsOf: URL(fileURLWithPath: onnx))
    let morph = file.inputs.filter { $0.name.contains("morph_value") }.map { ($0.name, [Float(0.75)]) }
    let graph = try file.makeGraph(constantInputs: Dictionary(uniqueKeysWithValues: morph)).converting(to: precision)
    let executor = GraphExecutor(graph: graph)
    executor.withInput { dst in for i in dst.indices { dst[i] = Float(i % 251) / 251 } }
    let t = medianMilliseconds(executor, iterations: iterations)
    if profile {
        var totals: [String: Double] = [:]
        for _ in 0..<5 { for r in executor.runProfiled() { totals[String(r.kernel.prefix(40)), default: 0] += r.milliseconds / 5 } }
        for (label, ms) in totals.sorted(by: { $0.value > $1.value }).prefix(25) { print(String(format: "  %8.2f ms  ", ms) + label) }
    }
    if profileSteps {
        // Every step in graph order, the median of 5 profiled runs: for matching layers with onnxruntime's profile.
        let runs = (0..<5).map { _ in executor.runProfiled() }
        for (i, step) in runs[0].enumerated() {
            let ms = runs.map { $0[i].milliseconds }.sorted()[2]
            print(String(format: "step %3d %8.2f ms  ", i, ms) + step.kernel)
        }
    }
    print(#"{"model": "\#(onnx)", "threads": \#(threads), "median_ms": \#(t.median), "p10_ms": \#(t.p10), "p90_ms": \#(t.p90), "cpu_median_ms": \#(t.cpu), "cpu_min_ms": \#(t.cpuMin), "gflop": \#(Double(graph.flopsPerRun) / 1e9), "kernels": \#(graph.kernelCount)}"#)
    exit(0)
}

// Hand work per frame, one thread: face analysis as in `facelive run`, then the hand stage alone is timed (palm
// detection near faces every few frames, hand landmarks on tracked hands, occlusion masks).
if let handsVideo {
    let source = try MediaSource(handsVideo)
    let analysis = FaceAnalysisStage(detector: try FaceDetector(model: .fullRange), landmarker: try FaceLandmarker(),
                                     tracker: FaceTracker())
    let hands = HandTrackingStage(detector: try PalmDetector(), landmarker: try HandLandmarker())
    var times: [Double] = [], withHand: [Double] = [], withoutHand: [Double] = []
    // The stage's own sub-stage times (palms, hand-pts, occlusion), summed over the frames.
    var parts: [String: (frames: Int, ms: Double)] = [:]
    while times.count < handFrames, let frame = try source.nextFrame() {
        try analysis.process(frame)
        let before = Set(frame.timings.map(\.stage))
        let start = now()
        try hands.process(frame)
        let ms = Double(now() - start) / 1e6
        times.append(ms)
        for (stage, seconds) in frame.timings where !before.contains(stage) {
            parts[stage, default: (0, 0)].frames += 1
            parts[stage, default: (0, 0)].ms += seconds * 1e3
        }
        if frame[attachment: HandAnalysis.self]?.hands.isEmpty ?? true { withoutHand.append(ms) } else { withHand.append(ms) }
    }
    func stats(_ t: [Double]) -> String {
        guard !t.isEmpty else { return #"{"frames": 0}"# }
        let s = t.sorted()
        return #"{"frames": \#(s.count), "mean_ms": \#(s.reduce(0, +) / Double(s.count)), "p50_ms": \#(s[s.count / 2]), "p95_ms": \#(s[s.count * 95 / 100])}"#
    }
    // Per sub-stage: frames it ran on, and its time per processed frame (what it adds to the mean).
    let split = parts.sorted { $0.key < $1.key }.map { stage, p in
        #""\#(stage)": {"frames": \#(p.frames), "ms_per_frame": \#(p.ms / Double(max(1, times.count)))}"#
    }.joined(separator: ", ")
    print(#"{"video": "\#(handsVideo)", "all": \#(stats(times)), "with_hand": \#(stats(withHand)), "without_hand": \#(stats(withoutHand)), "parts": {\#(split)}}"#)
    exit(0)
}
let inputs: [FaceModel: String] = [
    .shortRangeDetector: "blazeface_short_in_1x128x128x3.npy",
    .fullRangeDetector: "blazeface_full_in_1x192x192x3.npy",
    .landmarks: "facemesh_in_1x192x192x3.npy",
    .palmDetector: "palm_detection_lite_in_1x192x192x3.npy",
    .handLandmarks: "hand_landmark_lite_in_1x224x224x3.npy",
]

for model in FaceModel.allCases where only == nil || only == model.rawValue {
    let graph = try ModelLocator().graph(for: model)
    let executor = GraphExecutor(graph: graph)
    if let golden, let file = inputs[model] {
        let array = try NumpyArray(contentsOf: URL(fileURLWithPath: golden).appendingPathComponent(file))
        executor.withInput { dst in _ = dst.update(fromContentsOf: array.values) }
    } else {
        executor.withInput { dst in for i in dst.indices { dst[i] = Float(i % 255) / 255 } }
    }
    for _ in 0..<max(10, iterations / 10) { executor.run() }
    var times: [Double] = []
    for _ in 0..<iterations {
        let start = now()
        executor.run()
        times.append(Double(now() - start) / 1e6)
    }
    times.sort()
    if profile {
        // Per kernel over 50 runs: the minimum (what it costs when nothing preempts it) and the median.
        var samples: [[Double]] = []
        var labels: [String] = []
        for _ in 0..<50 {
            let run = executor.runProfiled()
            if samples.isEmpty { samples = run.map { _ in [] }; labels = run.map(\.kernel) }
            for (i, r) in run.enumerated() { samples[i].append(r.milliseconds) }
        }
        let sorted = samples.map { $0.sorted() }
        for (label, t) in zip(labels, sorted) { print(String(format: "  %7.3f min %7.3f median ms  ", t[0], t[t.count / 2]) + label) }
        print(String(format: "  %7.3f ms  sum of minima", sorted.map { $0[0] }.reduce(0, +)))
    }
    let median = times[times.count / 2], p10 = times[times.count / 10], p90 = times[times.count * 9 / 10]
    print(#"{"model": "\#(model.rawValue)", "median_ms": \#(median), "p10_ms": \#(p10), "p90_ms": \#(p90), "kernels": \#(graph.kernelCount)}"#)
}

// End to end on a synthetic 1280×720 frame: resample + network + decode (+ warp for the landmarks).
if only == nil || only == "pipeline" {
    var frame = RGBImage(width: 1280, height: 720)
    for y in 0..<720 {
        for x in 0..<1280 { frame[x, y] = (UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256)) }
    }
    func time(_ label: String, _ body: () -> Void) {
        for _ in 0..<10 { body() }
        var times: [Double] = []
        for _ in 0..<max(20, iterations / 5) {
            let start = now()
            body()
            times.append(Double(now() - start) / 1e6)
        }
        times.sort()
        print(#"{"model": "\#(label)", "median_ms": \#(times[times.count / 2])}"#)
    }
    let short = try FaceDetector(model: .shortRange)
    let full = try FaceDetector(model: .fullRange)
    let landmarker = try FaceLandmarker(options: .init(presenceThreshold: 0))
    time("detect_1280x720_short") { _ = short.detect(in: frame) }
    time("detect_1280x720_full") { _ = full.detect(in: frame) }
    let roi = FaceROI(center: [640, 360], side: 300, rotation: 0.3)
    time("landmarks_1280x720_roi300") { _ = landmarker.landmarks(in: frame, roi: roi) }
}
