import Neural

/// Compiles the swap path of a model file into a runtime ``Graph``: the encoder, the inter block(s) and the decoder
/// that paints the chosen identity, with the file's weights prepacked into the same kernels the TFLite networks use.
///
/// Graph input: one face `[1, res, res, 3]`; outputs: the face `[1, res, res, 3]` and the mask `[1, res, res, 1]`.
struct SwapModelCompiler {
    let file: SafetensorsFile
    let layout: SwapNetworkLayout
    private var builder = GraphBuilder()

    init(file: SafetensorsFile, config: SwapModelConfig) {
        self.file = file
        layout = SwapNetworkLayout(config: config)
    }

    mutating func compile(direction: SwapDirection) throws(SwapModelError) -> Graph {
        let config = layout.config
        let r = config.resolution
        let face = builder.input("face", shape: [1, r, r, 3])
        let encoded = try emit(layout.encoder, from: face)
        let code: GraphBuilder.Value
        let decoderName: String
        switch config.architecture {
        case .df:
            code = try emit(layout.inter(name: "inter"), from: encoded)
            decoderName = direction == .dstToSrc ? "decoder_src" : "decoder_dst"
        case .liae:
            // Source identity: [AB(x), AB(x)]; destination identity: [B(x), AB(x)].
            let ab = try emit(layout.inter(name: "inter_AB"), from: encoded)
            let first = direction == .srcToDst ? try emit(layout.inter(name: "inter_B"), from: encoded) : ab
            code = builder.concatenate([first, ab], name: "code", axis: 3)
            decoderName = "decoder"
        }
        let decoder = layout.decoder(name: decoderName)
        let outputs = [try emit(decoder.face, from: code), try emit(decoder.mask, from: code)]
        return builder.build(outputs: outputs)
    }

    /// Appends `layers` after `x`, flattening before dense layers and unflattening before convolutions.
    private mutating func emit(_ layers: [SwapLayer], from x: GraphBuilder.Value) throws(SwapModelError) -> GraphBuilder.Value {
        var x = x
        for layer in layers {
            switch layer {
            case let .convolution(name, size, inChannels, outChannels, kernel, stride, activation):
                x = try convolution(unflattened(x, size: size, channels: inChannels), name: name, inChannels: inChannels,
                                    outChannels: outChannels, kernel: kernel, stride: stride, activation: activation)
            case let .dense(name, inFeatures, outFeatures):
                let flat = builder.shape(of: x).rank == 2 ? x : builder.reshape(x, name: name + ".flatten", to: [1, inFeatures])
                x = builder.fullyConnected(
                    flat, name: name, weights: try tensor(name + ".weight", [outFeatures, inFeatures]), outFeatures: outFeatures,
                    bias: try tensor(name + ".bias", [outFeatures]))
            case let .pixelShuffle(size, inChannels):
                x = builder.depthToSpace(unflattened(x, size: size, channels: inChannels), name: "pixel_shuffle", block: 2)
            case let .residualBlock(name, _, channels, activation):
                let hidden = try convolution(x, name: name + ".conv1", inChannels: channels, outChannels: channels, kernel: 3,
                                             stride: 1, activation: activation)
                let second = try convolution(hidden, name: name + ".conv2", inChannels: channels, outChannels: channels,
                                             kernel: 3, stride: 1, activation: .none)
                // The optimiser folds the add and the activation into conv2's epilogue.
                x = builder.activation(builder.add(second, x, name: name + ".add"), activation, name: name)
            }
        }
        return x
    }

    private mutating func convolution(_ x: GraphBuilder.Value, name: String, inChannels: Int, outChannels: Int, kernel: Int,
                                      stride: Int, activation: Activation) throws(SwapModelError) -> GraphBuilder.Value {
        builder.conv2D(x, name: name, weights: try tensor(name + ".weight", [kernel, kernel, inChannels, outChannels]),
                       layout: .hwio, outChannels: outChannels, kernel: (kernel, kernel), stride: stride,
                       bias: try tensor(name + ".bias", [outChannels]), activation: activation)
    }

    /// `x` as a `[1, size, size, channels]` map (a dense layer's output is flat).
    private mutating func unflattened(_ x: GraphBuilder.Value, size: Int, channels: Int) -> GraphBuilder.Value {
        let shape: TensorShape = [1, size, size, channels]
        return builder.shape(of: x) == shape ? x : builder.reshape(x, name: "unflatten", to: shape)
    }

    private func tensor(_ name: String, _ shape: [Int]) throws(SwapModelError) -> [Float] {
        try SwapModelFile.tensor(name, shape: shape, in: file)
    }
}
