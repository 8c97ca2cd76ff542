import Neural
import Swap

/// Builds trainable layers for the named pieces of a ``SwapNetworkLayout`` — the layout the inference compiler
/// reads too, so parameter names (the model file's tensor names) and shapes agree by construction.
struct SwapNetworkBuilder {
    let layout: SwapNetworkLayout
    /// Replaces every leaky ReLU by the identity. Only for whole-network finite-difference checks, where thousands
    /// of kinks make differences unreliable; each activation's backward pass is checked on its own.
    var linearActivations = false

    init(config: SwapModelConfig, linearActivations: Bool = false) {
        layout = SwapNetworkLayout(config: config)
        self.linearActivations = linearActivations
    }

    var config: SwapModelConfig { layout.config }

    /// The encoder; its first layer computes no input gradient (no one needs dL/dImage).
    func encoder(context: ModuleContext) -> Sequential {
        Sequential(modules(layout.encoder, context: context, firstInputGradient: false))
    }

    /// The inter block called `name`.
    func inter(name: String, context: ModuleContext) -> Sequential {
        Sequential(modules(layout.inter(name: name), context: context))
    }

    /// The decoder called `name`: face and mask branches on one input.
    func decoder(name: String, context: ModuleContext) -> SwapDecoder {
        let branches = layout.decoder(name: name)
        return SwapDecoder(face: Sequential(modules(branches.face, context: context)),
                           mask: Sequential(modules(branches.mask, context: context)))
    }

    private func modules(_ layers: [SwapLayer], context: ModuleContext, firstInputGradient: Bool = true) -> [any Module] {
        layers.enumerated().map { i, layer -> any Module in
            switch layer {
            case let .convolution(name, size, inChannels, outChannels, kernel, stride, activation):
                ConvLayer(name: name, height: size, width: size, inChannels: inChannels, outChannels: outChannels,
                          kernel: kernel, stride: stride, activation: self.activation(activation),
                          inputGradient: i > 0 || firstInputGradient, context: context)
            case let .dense(name, inFeatures, outFeatures):
                DenseLayer(name: name, inFeatures: inFeatures, outFeatures: outFeatures,
                           inputGradient: i > 0 || firstInputGradient, context: context)
            case let .pixelShuffle(size, inChannels):
                PixelShuffleLayer(height: size, width: size, inChannels: inChannels, context: context)
            case let .residualBlock(name, size, channels, activation):
                ResidualBlock(name: name, size: size, channels: channels, activation: self.activation(activation),
                              context: context)
            }
        }
    }

    private func activation(_ activation: Activation) -> LayerActivation {
        let trained = LayerActivation(activation)
        if linearActivations, case .leakyRelu = trained { return .identity }
        return trained
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
