import Face
import Foundation

/// DeepFaceLab's two SAEHD layouts.
public enum SwapArchitecture: String, Codable, Sendable, CaseIterable {
    /// Shared encoder and inter, one decoder per identity.
    case df
    /// Shared encoder and decoder; inter_AB codes both identities, inter_B only the destination.
    case liae
}

/// Which identity the model paints onto an input face.
public enum SwapDirection: String, Codable, Sendable, CaseIterable {
    /// Destination faces in, source identity out (the face swap).
    case dstToSrc = "dst_to_src"
    /// Source faces in, destination identity out.
    case srcToDst = "src_to_dst"
}

/// Named size presets.
public enum SwapPreset: String, Codable, Sendable, CaseIterable {
    /// About 1 GFLOP per face: real time on two cores next to decoding and encoding.
    case live
    /// DeepFaceLab-like widths at 128 px: offline or strong machines.
    case quality
}

/// Everything that fixes a swap model's shapes and use; stored in the model file's metadata.
public struct SwapModelConfig: Codable, Sendable, Equatable {
    public var architecture: SwapArchitecture
    /// Face crop side in pixels: 64…256, a multiple of 16.
    public var resolution: Int
    /// Width of the bottleneck dense layer.
    public var aeDims: Int
    /// Encoder base width (four 5×5 stride-2 convolutions of 1, 2, 4, 8 × eDims).
    public var eDims: Int
    /// Face decoder base width (upscales to 8, 4, 2 × dDims).
    public var dDims: Int
    /// Mask decoder base width.
    public var dMaskDims: Int
    /// DeepFaceLab's residual blocks after each face-decoder upscale.
    public var residualBlocks: Bool
    /// How the training faces were cut out (its resolution is the model's); inference must crop the same way.
    public var alignment: FaceAlignment
    public var direction: SwapDirection

    public init(architecture: SwapArchitecture = .df, resolution: Int, aeDims: Int, eDims: Int, dDims: Int, dMaskDims: Int,
                residualBlocks: Bool, alignment: FaceAlignment? = nil, direction: SwapDirection = .dstToSrc) {
        self.architecture = architecture
        self.resolution = resolution
        self.aeDims = aeDims
        self.eDims = eDims
        self.dDims = dDims
        self.dMaskDims = dMaskDims
        self.residualBlocks = residualBlocks
        self.alignment = alignment ?? .wholeFace(resolution: resolution)
        self.direction = direction
    }

    /// A preset's widths and resolution.
    public static func preset(_ preset: SwapPreset, architecture: SwapArchitecture = .df) -> SwapModelConfig {
        switch preset {
        case .live:
            // LIAE's decoder reads two concatenated codes, so it gets a narrower bottleneck for the same budget.
            SwapModelConfig(architecture: architecture, resolution: 96, aeDims: architecture == .df ? 128 : 64, eDims: 24,
                            dDims: 12, dMaskDims: 6, residualBlocks: false)
        case .quality:
            SwapModelConfig(architecture: architecture, resolution: 128, aeDims: 256, eDims: 48, dDims: 48, dMaskDims: 16,
                            residualBlocks: true)
        }
    }

    /// Rejects shapes the layers cannot build.
    public func validate() throws(SwapModelError) {
        // Tiny resolutions (16, 32) are accepted for tests; the CLI enforces 64…256.
        guard resolution >= 16, resolution <= 512, resolution % 16 == 0 else {
            throw .invalidConfiguration("resolution \(resolution) must be a multiple of 16")
        }
        guard aeDims > 0, eDims > 0, dDims > 0, dMaskDims > 0 else {
            throw .invalidConfiguration("all widths must be positive")
        }
        // A model file is untrusted input: widths decide what is allocated before any tensor is read.
        guard aeDims <= 2048, eDims <= 512, dDims <= 512, dMaskDims <= 512 else {
            throw .invalidConfiguration("widths ae \(aeDims) e \(eDims) d \(dDims) dm \(dMaskDims) exceed 2048/512/512/512")
        }
        let bottleneck = lowestResolution * lowestResolution * (encoderChannels + interChannels) * aeDims
        guard bottleneck <= 400_000_000 else {
            throw .invalidConfiguration("the dense bottleneck would hold \(bottleneck) weights (at most 400 M)")
        }
        guard alignment.resolution == resolution else {
            throw .invalidConfiguration("alignment resolution \(alignment.resolution) differs from the model's \(resolution)")
        }
        do { try alignment.validate() } catch { throw .invalidConfiguration("alignment: \(error)") }
    }

    /// Side of the dense bottleneck's feature map (resolution / 16).
    package var lowestResolution: Int { resolution / 16 }
    /// Channels of the encoder output (8 × eDims).
    package var encoderChannels: Int { eDims * 8 }
    /// Channels of an inter block's output (DeepFaceLab doubles them for LIAE).
    package var interChannels: Int { architecture == .df ? aeDims : aeDims * 2 }
    /// Channels a decoder receives (LIAE concatenates two inter outputs).
    package var decoderInputChannels: Int { architecture == .df ? interChannels : interChannels * 2 }

    /// The configuration as the model file's `config` metadata (sorted keys).
    package func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The configuration from the model file's `config` metadata.
    package static func decode(json: String) throws(SwapModelError) -> SwapModelConfig {
        var config: SwapModelConfig
        do { config = try JSONDecoder().decode(SwapModelConfig.self, from: Data(json.utf8)) } catch {
            throw .unsupportedModel("configuration metadata does not parse: \(error)")
        }
        // Models written before the alignment carried its resolution: their crops were the model's size.
        config.alignment.resolution = config.resolution
        return config
    }
}
