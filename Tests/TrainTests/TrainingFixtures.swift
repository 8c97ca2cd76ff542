import Foundation
import Swap
import Stream
@testable import Train
import TestSupport

/// Tiny facesets cut from the public-domain astronaut photo, written with ``FacesetWriter`` into a temporary folder.
enum TrainingFixtures {
    static let resolution = 32

    /// Two facesets of `count` crops each: around the face (src) and around the shoulder patch (dst), at
    /// slightly different offsets and scales, with a square of landmarks for the mask hull.
    static func facesets(count: Int = 6) throws -> (src: URL, dst: URL, directory: URL) {
        let photo = try TestResources.image("astronaut_public_domain.png")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("facelive-train-\(UUID().uuidString)")
        func write(_ name: String, centre: (Int, Int), size: Int) throws -> URL {
            let url = directory.appendingPathComponent(name)
            let writer = try FacesetWriter(directory: url, alignment: .wholeFace(resolution: resolution))
            for i in 0..<count {
                let side = size + (i % 3) * 8, cx = centre.0 + (i % 2) * 6 - 3, cy = centre.1 + (i / 2 % 2) * 6 - 3
                var crop = RGBImage(width: resolution, height: resolution)
                for y in 0..<resolution {
                    for x in 0..<resolution {
                        let sx = min(photo.width - 1, max(0, cx - side / 2 + x * side / resolution))
                        let sy = min(photo.height - 1, max(0, cy - side / 2 + y * side / resolution))
                        let p = photo[sx, sy]
                        let o = (y * resolution + x) * 3
                        crop.pixels[o] = p.r; crop.pixels[o + 1] = p.g; crop.pixels[o + 2] = p.b
                    }
                }
                let s = Float(resolution)
                let landmarks: [[Float]] = [[0.2 * s, 0.15 * s], [0.8 * s, 0.15 * s], [0.85 * s, 0.85 * s], [0.15 * s, 0.85 * s]]
                let scale = Double(resolution) / Double(side)
                try writer.add(crop, landmarks: landmarks,
                               matrix: [scale, 0, -Double(cx - side / 2) * scale, 0, scale, -Double(cy - side / 2) * scale],
                               source: "astronaut_public_domain.png", frame: i)
            }
            try writer.finish()
            return url
        }
        let src = try write("src", centre: (240, 130), size: 150)
        let dst = try write("dst", centre: (330, 420), size: 170)
        return (src, dst, directory)
    }

    static let config = SwapModelConfig(architecture: .df, resolution: resolution, aeDims: 32, eDims: 8, dDims: 8,
                                        dMaskDims: 4, residualBlocks: false)

    static func options(_ sets: (src: URL, dst: URL, directory: URL), config: SwapModelConfig = config) -> TrainingOptions {
        var options = TrainingOptions(source: sets.src, destination: sets.dst,
                                      output: sets.directory.appendingPathComponent("model.safetensors"), config: config)
        options.batch = 4
        options.learningRate = 1e-3
        options.previewEvery = 0
        options.checkpointSeconds = .infinity
        return options
    }
}
