// swift-tools-version: 6.1
import PackageDescription

/// Hot kernels (colour conversion, tensor ops, warps) are compiled for Haswell-class CPUs (AVX2 + FMA, `x86-64-v3`).
/// `FACELIVE_TARGET_CPU=znver4 swift build --scratch-path .build-znver4` builds for a newer CPU;
/// the binary checks at start-up that the CPU has what it was built for.
let targetCPU = Context.environment["FACELIVE_TARGET_CPU"] ?? "haswell"
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", targetCPU])]
/// Swap runs neural networks in its tests; unoptimised (-Onone) they take minutes, so debug builds optimise it too
/// (measured: FaceDetectorTests 130 s at -Onone).
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "facelive",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "facelive", targets: ["LiveCLI"]),
        .library(name: "Stream", targets: ["Stream"]),
        .library(name: "Swap", targets: ["Swap"]),
        .executable(name: "neural-bench", targets: ["NeuralBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
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
        .target(name: "CCPUFeatures", cSettings: [.define("FACELIVE_TARGET_CPU", to: "\"\(targetCPU)\"")]),
        .target(
            name: "Stream",
            dependencies: [
                "CFFmpeg", "CYUV", "CV4L2",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: kernelFlags
        ),
        .target(
            name: "Swap",
            dependencies: ["Stream", "CBLAS", "CCPUFeatures"],
            resources: [.copy("Resources/models")],
            swiftSettings: kernelFlags + optimizedInDebug
        ),
        .executableTarget(
            name: "LiveCLI",
            dependencies: [
                "Stream", "Swap",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "NeuralBench", dependencies: ["Swap"], path: "Benchmarks/NeuralBench"),
        .testTarget(name: "StreamTests", dependencies: ["Stream"]),
        .testTarget(name: "SwapTests", dependencies: ["Swap", "Stream"], exclude: ["Fixtures"]),
        // Runs the built `facelive` binary end to end; depending on LiveCLI makes `swift test` build it.
        .testTarget(name: "LiveCLITests", dependencies: ["LiveCLI", "Stream"]),
    ]
)
