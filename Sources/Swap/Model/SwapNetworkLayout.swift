import Neural

/// One layer of a swap network as data. The trainer builds its layers from these and the graph compiler emits
/// kernels for them, so both agree on names (the model file's tensor names), shapes and activations.
package enum SwapLayer: Sendable, Equatable {
    /// A `kernel × kernel` convolution ("same" padding) of a `size × size × inChannels` map; tensors `name.weight`
    /// `[kernel, kernel, inChannels, outChannels]` and `name.bias` `[outChannels]`.
    case convolution(name: String, size: Int, inChannels: Int, outChannels: Int, kernel: Int, stride: Int,
                     activation: Activation)
    /// A fully connected layer without activation on the flattened input; `name.weight` `[out, in]`, `name.bias` `[out]`.
    case dense(name: String, inFeatures: Int, outFeatures: Int)
    /// Depth-to-space by 2 of a `size × size × inChannels` map (DCR order).
    case pixelShuffle(size: Int, inChannels: Int)
    /// DeepFaceLab's residual block `act(x + conv2(act(conv1(x))))`: two 3×3 convolutions `name.conv1`, `name.conv2`
    /// of a `size × size × channels` map.
    case residualBlock(name: String, size: Int, channels: Int, activation: Activation)

    /// Floating-point operations for one sample (a multiply-add counts two).
    package var flops: Int {
        switch self {
        case let .convolution(_, size, inChannels, outChannels, kernel, stride, _):
            let out = (size + stride - 1) / stride
            return 2 * out * out * kernel * kernel * inChannels * outChannels
        case let .dense(_, inFeatures, outFeatures):
            return 2 * inFeatures * outFeatures
        case .pixelShuffle:
            return 0
        case let .residualBlock(_, size, channels, _):
            return 2 * (2 * size * size * 9 * channels * channels)
        }
    }
}

/// The layers of DeepFaceLab-style (SAEHD) networks for one configuration, by part: encoder, inter, decoder.
package struct SwapNetworkLayout: Sendable {
    package let config: SwapModelConfig

    package init(config: SwapModelConfig) { self.config = config }

    /// Four 5×5 stride-2 convolutions, leaky ReLU 0.1: `res² × 3 → (res/16)² × 8e`.
    package var encoder: [SwapLayer] {
        var layers: [SwapLayer] = []
        var size = config.resolution, channels = 3
        for (i, multiple) in [1, 2, 4, 8].enumerated() {
            let out = config.eDims * multiple
            layers.append(.convolution(name: "encoder.down\(i)", size: size, inChannels: channels, outChannels: out,
                                       kernel: 5, stride: 2, activation: .leakyRelu(alpha: 0.1)))
            size /= 2
            channels = out
        }
        return layers
    }

    /// Dense → dense → (reshape to `(res/16)²`) → upscale: the identity-mixing bottleneck.
    package func inter(name: String) -> [SwapLayer] {
        let low = config.lowestResolution, channels = config.interChannels
        return [
            .dense(name: name + ".dense1", inFeatures: low * low * config.encoderChannels, outFeatures: config.aeDims),
            .dense(name: name + ".dense2", inFeatures: config.aeDims, outFeatures: low * low * channels),
        ] + upscale(name: name + ".upscale", size: low, inChannels: channels, outChannels: channels)
    }

    /// A decoder's two branches on the same input: three upscales (with residual blocks if configured) and a 1×1
    /// sigmoid head, to RGB for the face and to one channel for the mask.
    package func decoder(name: String) -> (face: [SwapLayer], mask: [SwapLayer]) {
        func branch(_ prefix: String, width: Int, residual: Bool, outChannels: Int) -> [SwapLayer] {
            var layers: [SwapLayer] = []
            var size = config.lowestResolution * 2, channels = config.decoderInputChannels
            for (i, multiple) in [8, 4, 2].enumerated() {
                let out = width * multiple
                layers += upscale(name: "\(name).\(prefix)upscale\(i)", size: size, inChannels: channels, outChannels: out)
                size *= 2
                channels = out
                if residual {
                    layers.append(.residualBlock(name: "\(name).\(prefix)res\(i)", size: size, channels: channels,
                                                 activation: .leakyRelu(alpha: 0.2)))
                }
            }
            layers.append(.convolution(name: "\(name).\(prefix)out", size: size, inChannels: channels,
                                       outChannels: outChannels, kernel: 1, stride: 1, activation: .sigmoid))
            return layers
        }
        return (branch("", width: config.dDims, residual: config.residualBlocks, outChannels: 3),
                branch("mask_", width: config.dMaskDims, residual: false, outChannels: 1))
    }

    /// Floating-point operations of the swap path for one face: encoder, one inter (two for LIAE painting the
    /// destination identity) and one decoder.
    package func flopsPerFace(direction: SwapDirection) -> Int {
        let inters = config.architecture == .liae && direction == .srcToDst ? 2 : 1
        let decoder = self.decoder(name: "decoder")
        return [encoder, decoder.face, decoder.mask].joined().reduce(0) { $0 + $1.flops }
            + inters * inter(name: "inter").reduce(0) { $0 + $1.flops }
    }

    /// 3×3 conv to 4× channels, leaky ReLU 0.1, depth-to-space: doubles the side.
    private func upscale(name: String, size: Int, inChannels: Int, outChannels: Int) -> [SwapLayer] {
        [.convolution(name: name, size: size, inChannels: inChannels, outChannels: outChannels * 4, kernel: 3, stride: 1,
                      activation: .leakyRelu(alpha: 0.1)),
         .pixelShuffle(size: size, inChannels: outChannels * 4)]
    }
}
