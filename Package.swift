// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Hot kernels (colour conversion, tensor ops, warps) are compiled for the build machine's vector unit, like
/// `-march=native`: AVX-512 (`skylake-avx512`: F, CD, BW, DQ, VL) where it has it, else Haswell-class (AVX2 + FMA).
/// `FACELIVE_TARGET_CPU=haswell swift build` makes a binary for any AVX2 machine; the binary checks at start-up that
/// the CPU has what it was built for and says so in one line if not.
let targetCPU = Context.environment["FACELIVE_TARGET_CPU"] ?? (hostHasAVX512() ? "skylake-avx512" : "haswell")
/// Whether the target CPU has AVX-512: the kernels then use 16-lane tiles, and the start-up check in CCPUFeatures
/// (told through the same define) requires AVX-512 of the machine it runs on.
let avx512 = ["avx512", "sapphirerapids", "icelake", "cascadelake", "cooperlake", "tigerlake", "rocketlake",
              "graniterapids", "emeraldrapids", "znver4", "znver5", "v4", "native"].contains { targetCPU.contains($0) }
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", targetCPU])]
    + (avx512 ? [.define("FACELIVE_AVX512")] : [])

/// Whether this machine's CPU (Linux `/proc/cpuinfo`) has the AVX-512 subsets `skylake-avx512` code may use.
func hostHasAVX512() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let present = Set(flags.split(separator: " ").map(String.init))
    return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(present.contains)
}
/// The analysis and swap targets run neural networks and image kernels in their tests; unoptimised (-Onone) they take minutes, so debug builds optimise it too
/// (measured: FaceDetectorTests 130 s at -Onone).
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "facelive",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "facelive", targets: ["LiveCLI"]),
        .library(name: "Stream", targets: ["Stream"]),
        .library(name: "Neural", targets: ["Neural"]),
        .library(name: "Face", targets: ["Face"]),
        .library(name: "Swap", targets: ["Swap"]),
        .library(name: "Train", targets: ["Train"]),
        .executable(name: "neural-bench", targets: ["NeuralBench"]),
        .executable(name: "swap-bench", targets: ["SwapBench"]),
        .executable(name: "stream-bench", targets: ["StreamBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libavdevice-dev"])]
        ),
        .systemLibrary(name: "CYUV", providers: [.apt(["libyuv-dev"])]),
        // <linux/videodev2.h> comes with linux-libc-dev; raw ioctls need no library.
        .systemLibrary(name: "CV4L2", providers: [.apt(["linux-libc-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Plain C for the baseline CPU: the start-up check must run before any AVX code.
        .target(name: "CCPUFeatures", cSettings: [.define("FACELIVE_TARGET_CPU", to: "\"\(targetCPU)\"")]
            + (avx512 ? [.define("FACELIVE_AVX512")] : [])),
        .target(
            name: "Stream",
            dependencies: [
                "CFFmpeg", "CYUV", "CV4L2",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: kernelFlags
        ),
        // bf16 dot products (AVX512_BF16's vdpbf16ps), which Swift cannot emit: one register tile and a rounding
        // loop in C, compiled per function for that extension and called only when the CPU has it.
        .target(name: "CBFloat16"),
        .target(
            name: "Neural",
            dependencies: ["CBLAS", "CCPUFeatures", "CBFloat16"],
            swiftSettings: kernelFlags + optimizedInDebug
        ),
        .target(name: "Imaging", dependencies: ["Stream"], swiftSettings: kernelFlags + optimizedInDebug),
        .target(
            name: "Face",
            dependencies: ["Stream", "Imaging", "Neural"],
            resources: [.copy("Resources/models")],
            swiftSettings: kernelFlags + optimizedInDebug
        ),
        .target(name: "Swap", dependencies: ["Stream", "Imaging", "Neural", "Face"], swiftSettings: kernelFlags + optimizedInDebug),
        .target(name: "Train", dependencies: ["Stream", "Imaging", "Neural", "Face", "Swap", "CBFloat16"],
                swiftSettings: kernelFlags + optimizedInDebug),
        // The live control panel (`run --control`): an HTTP server on its own threads, and the page it serves.
        .target(
            name: "Control",
            dependencies: [
                "Stream", "Imaging", "Face", "Swap",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/panel")]
        ),
        .executableTarget(
            name: "LiveCLI",
            dependencies: [
                "Stream", "Neural", "Face", "Swap", "Train", "Control",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "NeuralBench", dependencies: ["Neural", "Face", "Stream"], path: "Benchmarks/NeuralBench"),
        .executableTarget(name: "StreamBench", dependencies: ["Stream"], path: "Benchmarks/StreamBench"),
        .executableTarget(name: "SwapBench", dependencies: ["Swap", "Face", "Imaging", "Stream"], path: "Benchmarks/SwapBench"),
        // Fixture paths, seeded random numbers and synthetic faces shared by the test targets.
        .target(name: "TestSupport", dependencies: ["Stream", "Imaging", "Neural", "Face"], path: "Tests/TestSupport"),
        .testTarget(name: "StreamTests", dependencies: ["Stream"]),
        .testTarget(name: "NeuralTests", dependencies: ["Neural", "Face", "TestSupport"]),
        .testTarget(name: "FaceTests", dependencies: ["Face", "Imaging", "Neural", "Stream", "TestSupport"]),
        .testTarget(name: "SwapTests", dependencies: ["Swap", "Face", "Imaging", "Stream", "TestSupport"]),
        .testTarget(name: "TrainTests", dependencies: ["Train", "Swap", "Face", "Imaging", "Neural", "Stream", "TestSupport"]),
        // Runs the built `facelive` binary end to end; depending on LiveCLI makes `swift test` build it.
        .testTarget(name: "LiveCLITests", dependencies: ["LiveCLI", "Control", "Swap", "Stream"]),
    ]
)
