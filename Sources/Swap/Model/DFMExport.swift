import Foundation
import Neural

/// Writes a trained facelive model as a DeepFaceLive `.dfm` (ONNX opset 13) that DeepFaceLive, FaceFusion and
/// onnxruntime load: input `in_face:0` `[N, R, R, 3]` BGR 0…1; outputs, in order, the input face's mask, the swapped
/// face (BGR) and its mask.
///
/// The network is written as DeepFaceLab's exports are (NCHW convolutions between an NHWC input and NHWC outputs,
/// DCR depth-to-space); BGR is absorbed into the first and last convolutions' channel order, so it costs nothing.
/// The input face's mask comes from the decoder of the input's own identity (DF: the other decoder; LIAE: the
/// reconstruction code), as DeepFaceLab's export does.
public enum DFMExport {
    /// The `.dfm` bytes for the model at `url`; `direction` overrides the one stored in the file.
    public static func export(_ url: URL, direction: SwapDirection? = nil) throws(SwapModelError) -> [UInt8] {
        let file: SafetensorsFile
        do { file = try SafetensorsFile(contentsOf: url) } catch { throw .file(error) }
        _ = try TrainedSwapModel(file: file)  // refuse what would not run
        let config = try SwapModelFile.config(of: file)
        var builder = Builder(config: config, file: file)
        return try builder.build(direction: direction ?? config.direction)
    }

    private struct Builder {
        let config: SwapModelConfig
        let file: SafetensorsFile
        var w = ONNXWriter(opset: 13)

        init(config: SwapModelConfig, file: SafetensorsFile) {
            self.config = config
            self.file = file
        }

        func tensor(_ name: String) throws(SwapModelError) -> SafetensorsFile.Entry {
            guard let t = file.tensors[name] else { throw .missingTensor(name) }
            return t
        }

        /// Conv with TensorFlow "same" padding; weights `[kh, kw, Cin, Cout]` → ONNX `[Cout, Cin, kh, kw]`.
        /// `reverseIn`/`reverseOut` flip the channel order (RGB ↔ BGR) of the input or output.
        mutating func conv(_ x: String, _ name: String, size: Int, stride: Int = 1, reverseIn: Bool = false,
                           reverseOut: Bool = false) throws(SwapModelError) -> String {
            let weight = try tensor(name + ".weight"), bias = try tensor(name + ".bias")
            let (k, cin, cout) = (weight.shape[0], weight.shape[2], weight.shape[3])
            var oihw = [Float](repeating: 0, count: weight.values.count)
            for ky in 0..<k { for kx in 0..<k { for ci in 0..<cin { for co in 0..<cout {
                let src = ((ky * k + kx) * cin + (reverseIn ? cin - 1 - ci : ci)) * cout + (reverseOut ? cout - 1 - co : co)
                oihw[((co * cin + ci) * k + ky) * k + kx] = weight.values[src]
            } } } }
            let b = reverseOut ? Array(bias.values.reversed()) : bias.values
            let (out, before) = Padding.same.resolve(input: size, kernel: k, stride: stride)!
            let after = max((out - 1) * stride + k - size, 0) - before
            let wName = w.constant(name + ".weight", dims: [cout, cin, k, k], floats: oihw)
            let bName = w.constant(name + ".bias", dims: [cout], floats: b)
            return w.node("Conv", [x, wName, bName], [
                ("kernel_shape", .ints([k, k])), ("strides", .ints([stride, stride])),
                ("pads", .ints([before, before, after, after])), ("dilations", .ints([1, 1])), ("group", .int(1)),
            ])
        }

        /// `x` with a layout activation applied.
        mutating func apply(_ activation: Activation, to x: String) -> String {
            switch activation {
            case .none: x
            case .leakyRelu(let alpha): w.node("LeakyRelu", [x], [("alpha", .float(alpha))])
            case .sigmoid: w.node("Sigmoid", [x])
            default: preconditionFailure("swap layouts use no \(activation)")
            }
        }

        /// Appends `layers` (``SwapNetworkLayout``, the list inference and training use) to `x`: an NCHW map, or
        /// NHWC-flattened features after a dense layer (facelive flattens NHWC; DeepFaceLab NCHW). `bgrIn` flips the
        /// first convolution's input channels, `bgrOut` the last one's output.
        mutating func emit(_ layers: [SwapLayer], from x: String, bgrIn: Bool = false, bgrOut: Bool = false)
            throws(SwapModelError) -> String {
            var x = x, flat = false
            for (i, layer) in layers.enumerated() {
                switch layer {
                case let .convolution(name, size, inChannels, _, _, stride, activation):
                    if flat {
                        let map = w.node("Reshape", [x, w.constant(ints: [-1, size, size, inChannels])])
                        (x, flat) = (w.node("Transpose", [map], [("perm", .ints([0, 3, 1, 2]))]), false)
                    }
                    let y = try conv(x, name, size: size, stride: stride, reverseIn: bgrIn && i == 0,
                                     reverseOut: bgrOut && i == layers.count - 1)
                    x = apply(activation, to: y)
                case let .dense(name, inFeatures, _):
                    if !flat {
                        let nhwc = w.node("Transpose", [x], [("perm", .ints([0, 2, 3, 1]))])
                        (x, flat) = (w.node("Reshape", [nhwc, w.constant(ints: [-1, inFeatures])]), true)
                    }
                    let weight = try tensor(name + ".weight"), bias = try tensor(name + ".bias")
                    let wName = w.constant(name + ".weight", dims: weight.shape, floats: weight.values)
                    let bName = w.constant(name + ".bias", dims: bias.shape, floats: bias.values)
                    x = w.node("Gemm", [x, wName, bName], [("transB", .int(1))])
                case .pixelShuffle:
                    x = w.node("DepthToSpace", [x], [("blocksize", .int(2)), ("mode", .string("DCR"))])
                case let .residualBlock(name, size, _, activation):
                    let h = apply(activation, to: try conv(x, name + ".conv1", size: size))
                    let sum = w.node("Add", [try conv(h, name + ".conv2", size: size), x])
                    x = apply(activation, to: sum)
                }
            }
            return x
        }

        /// The face (BGR) or mask branch of decoder `name`, NCHW in and out.
        mutating func branch(_ code: String, _ name: String, mask: Bool) throws(SwapModelError) -> String {
            let decoder = SwapNetworkLayout(config: config).decoder(name: name)
            return try emit(mask ? decoder.mask : decoder.face, from: code, bgrOut: !mask)
        }

        mutating func build(direction: SwapDirection) throws(SwapModelError) -> [UInt8] {
            let r = config.resolution
            let face = w.input("in_face:0", dims: [nil, r, r, 3])
            let layout = SwapNetworkLayout(config: config)
            let nchw = w.node("Transpose", [face], [("perm", .ints([0, 3, 1, 2]))])
            let encoded = try emit(layout.encoder, from: nchw, bgrIn: true)
            let swapCode: String, ownCode: String, swapDecoder: String, ownDecoder: String
            switch config.architecture {
            case .df:
                let code = try emit(layout.inter(name: "inter"), from: encoded)
                (swapCode, ownCode) = (code, code)
                (swapDecoder, ownDecoder) = direction == .dstToSrc ? ("decoder_src", "decoder_dst") : ("decoder_dst", "decoder_src")
            case .liae:
                let ab = try emit(layout.inter(name: "inter_AB"), from: encoded)
                let b = try emit(layout.inter(name: "inter_B"), from: encoded)
                let src = w.node("Concat", [ab, ab], [("axis", .int(1))]), dst = w.node("Concat", [b, ab], [("axis", .int(1))])
                // dst→src paints the src identity (code AB|AB) over a dst face, whose own code is B|AB.
                (swapCode, ownCode) = direction == .dstToSrc ? (src, dst) : (dst, src)
                (swapDecoder, ownDecoder) = ("decoder", "decoder")
            }
            let outputs = [
                ("out_face_mask:0", try branch(ownCode, ownDecoder, mask: true), 1),
                ("out_celeb_face:0", try branch(swapCode, swapDecoder, mask: false), 3),
                ("out_celeb_face_mask:0", try branch(swapCode, swapDecoder, mask: true), 1),
            ]
            for (name, value, channels) in outputs {
                w.node("Transpose", [value], name: name, [("perm", .ints([0, 2, 3, 1]))])
                w.output(name, dims: [nil, r, r, channels])
            }
            return w.serialized(graphName: "SAEHD")
        }
    }
}
