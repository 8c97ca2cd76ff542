import Neural
/// Builds the named pieces of DeepFaceLab-style networks; training models and ``TrainedSwapModel`` share it, so
/// parameter names (the model file's tensor names) agree.
struct SwapNetworkBuilder {
    let config: SwapModelConfig
    /// Replaces every leaky ReLU by the identity. Only for whole-network finite-difference checks, where thousands
    /// of kinks make differences unreliable; each activation's backward pass is checked on its own.
    var linearActivations = false

    init(config: SwapModelConfig, linearActivations: Bool = false) {
        self.config = config
        self.linearActivations = linearActivations
    }

    private func leaky(_ alpha: Float) -> LayerActivation { linearActivations ? .identity : .leakyRelu(alpha) }

    /// Four 5×5 stride-2 convolutions, leaky ReLU 0.1: `res² × 3 → (res/16)² × 8e`.
    func encoder(context: ModuleContext) -> Sequential {
        var modules: [any Module] = []
        var size = config.resolution, channels = 3
        for (i, multiple) in [1, 2, 4, 8].enumerated() {
            let out = config.eDims * multiple
            modules.append(ConvLayer(name: "encoder.down\(i)", height: size, width: size, inChannels: channels, outChannels: out,
                                     kernel: 5, stride: 2, activation: leaky(0.1), inputGradient: i > 0, context: context))
            size /= 2
            channels = out
        }
        return Sequential(modules)
    }

    /// Dense → dense → reshape to `(res/16)²` → upscale: the identity-mixing bottleneck.
    func inter(name: String, context: ModuleContext) -> Sequential {
        let low = config.lowestResolution
        let channels = config.interChannels
        return Sequential([
            DenseLayer(name: name + ".dense1", inFeatures: low * low * config.encoderChannels, outFeatures: config.aeDims, context: context),
            DenseLayer(name: name + ".dense2", inFeatures: config.aeDims, outFeatures: low * low * channels, context: context),
        ] + upscale(name: name + ".upscale", size: low, inChannels: channels, outChannels: channels, context: context))
    }

    /// Three upscales (with residual blocks if configured) and a 1×1 sigmoid head, for the face and for the mask.
    func decoder(name: String, context: ModuleContext) -> SwapDecoder {
        let size = config.lowestResolution * 2
        func branch(_ prefix: String, width: Int, residual: Bool, outChannels: Int) -> Sequential {
            var modules: [any Module] = []
            var s = size, channels = config.decoderInputChannels
            for (i, multiple) in [8, 4, 2].enumerated() {
                let out = width * multiple
                modules += upscale(name: "\(name).\(prefix)upscale\(i)", size: s, inChannels: channels, outChannels: out, context: context)
                s *= 2
                channels = out
                if residual { modules.append(ResidualBlock(name: "\(name).\(prefix)res\(i)", size: s, channels: channels,
                                                         activation: leaky(0.2), context: context)) }
            }
            modules.append(ConvLayer(name: "\(name).\(prefix)out", height: s, width: s, inChannels: channels, outChannels: outChannels,
                                     kernel: 1, activation: .sigmoid, context: context))
            return Sequential(modules)
        }
        return SwapDecoder(face: branch("", width: config.dDims, residual: config.residualBlocks, outChannels: 3),
                           mask: branch("mask_", width: config.dMaskDims, residual: false, outChannels: 1))
    }

    /// 3×3 conv to 4× channels, leaky ReLU 0.1, depth-to-space: doubles the side.
    private func upscale(name: String, size: Int, inChannels: Int, outChannels: Int, context: ModuleContext) -> [any Module] {
        [ConvLayer(name: name, height: size, width: size, inChannels: inChannels, outChannels: outChannels * 4, kernel: 3,
                   activation: leaky(0.1), context: context),
         PixelShuffleLayer(height: size, width: size, inChannels: outChannels * 4, context: context)]
    }
}

/// A decoder: one input, a face (3 channels) and a mask (1 channel), both sigmoid, at full resolution.
final class SwapDecoder {
    let face: Sequential
    let mask: Sequential

    init(face: Sequential, mask: Sequential) {
        self.face = face
        self.mask = mask
    }

    var parameters: [Parameter] { face.parameters + mask.parameters }
    var flopsPerSample: Int { face.flopsPerSample + mask.flopsPerSample }
    var inputCount: Int { face.inputCount }

    func initialize(random: inout RandomSource) {
        face.initialize(random: &random)
        mask.initialize(random: &random)
    }

    func forward(_ input: UnsafePointer<Float>) -> (face: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>) {
        (face.forward(input), mask.forward(input))
    }

    /// dL/dInput (in the face branch's buffer, the mask branch's share added).
    func backward(face faceGradient: UnsafeMutablePointer<Float>, mask maskGradient: UnsafeMutablePointer<Float>, batch: Int) -> UnsafeMutablePointer<Float> {
        let dx = face.backward(faceGradient)!
        accumulate(dx, mask.backward(maskGradient)!, count: batch * inputCount)
        return dx
    }
}

/// Channel-wise concatenation of two NHWC maps with the same pixels (LIAE's decoder input).
enum ChannelConcat {
    static func forward(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, channelsA: Int, channelsB: Int, pixels: Int,
                        into out: UnsafeMutablePointer<Float>) {
        let c = channelsA + channelsB
        for p in 0..<pixels {
            (out + p * c).update(from: a + p * channelsA, count: channelsA)
            (out + p * c + channelsA).update(from: b + p * channelsB, count: channelsB)
        }
    }

    /// Splits `gradient` into the two operands' gradients; `addA`/`addB` accumulate instead of overwrite.
    static func backward(_ gradient: UnsafePointer<Float>, channelsA: Int, channelsB: Int, pixels: Int,
                         intoA a: UnsafeMutablePointer<Float>, addA: Bool, intoB b: UnsafeMutablePointer<Float>, addB: Bool) {
        let c = channelsA + channelsB
        for p in 0..<pixels {
            if addA { accumulate(a + p * channelsA, gradient + p * c, count: channelsA) } else {
                (a + p * channelsA).update(from: gradient + p * c, count: channelsA)
            }
            if addB { accumulate(b + p * channelsB, gradient + p * c + channelsA, count: channelsB) } else {
                (b + p * channelsB).update(from: gradient + p * c + channelsA, count: channelsB)
            }
        }
    }
}
