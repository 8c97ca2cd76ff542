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

        mutating func leaky(_ x: String, _ alpha: Float) -> String { w.node("LeakyRelu", [x], [("alpha", .float(alpha))]) }

        mutating func upscale(_ x: String, _ name: String, size: Int) throws(SwapModelError) -> String {
            let y = leaky(try conv(x, name, size: size), 0.1)
            return w.node("DepthToSpace", [y], [("blocksize", .int(2)), ("mode", .string("DCR"))])
        }

        /// Dense → dense → NHWC reshape → NCHW → upscale, on the NHWC-flattened encoder output.
        mutating func inter(_ flat: String, _ name: String) throws(SwapModelError) -> String {
            var x = flat
            for layer in ["dense1", "dense2"] {
                let weight = try tensor("\(name).\(layer).weight"), bias = try tensor("\(name).\(layer).bias")
                let wName = w.constant("\(name).\(layer).weight", dims: weight.shape, floats: weight.values)
                let bName = w.constant("\(name).\(layer).bias", dims: bias.shape, floats: bias.values)
                x = w.node("Gemm", [x, wName, bName], [("transB", .int(1))])
            }
            let low = config.lowestResolution
            x = w.node("Reshape", [x, w.constant(ints: [-1, low, low, config.interChannels])])
            x = w.node("Transpose", [x], [("perm", .ints([0, 3, 1, 2]))])
            return try upscale(x, name + ".upscale", size: low)
        }

        /// The face (BGR) or mask branch of decoder `name`, NCHW in, NHWC out.
        mutating func branch(_ code: String, _ name: String, mask: Bool) throws(SwapModelError) -> String {
            var x = code, size = config.lowestResolution * 2
            let prefix = mask ? "mask_" : ""
            for i in 0..<3 {
                x = try upscale(x, "\(name).\(prefix)upscale\(i)", size: size)
                size *= 2
                if !mask && config.residualBlocks {
                    let h = leaky(try conv(x, "\(name).res\(i).conv1", size: size), 0.2)
                    let sum = w.node("Add", [try conv(h, "\(name).res\(i).conv2", size: size), x])
                    x = leaky(sum, 0.2)
                }
            }
            x = w.node("Sigmoid", [try conv(x, "\(name).\(prefix)out", size: size, reverseOut: !mask)])
            return x
        }

        mutating func build(direction: SwapDirection) throws(SwapModelError) -> [UInt8] {
            let r = config.resolution
            let face = w.input("in_face:0", dims: [nil, r, r, 3])
            var x = w.node("Transpose", [face], [("perm", .ints([0, 3, 1, 2]))])
            var size = r
            for i in 0..<4 {
                x = leaky(try conv(x, "encoder.down\(i)", size: size, stride: 2, reverseIn: i == 0), 0.1)
                size /= 2
            }
            // facelive flattens NHWC (DeepFaceLab flattens NCHW): transpose back first.
            x = w.node("Transpose", [x], [("perm", .ints([0, 2, 3, 1]))])
            let flat = w.node("Reshape", [x, w.constant(ints: [-1, size * size * config.encoderChannels])])
            let swapCode: String, ownCode: String, swapDecoder: String, ownDecoder: String
            switch config.architecture {
            case .df:
                let code = try inter(flat, "inter")
                (swapCode, ownCode) = (code, code)
                (swapDecoder, ownDecoder) = direction == .dstToSrc ? ("decoder_src", "decoder_dst") : ("decoder_dst", "decoder_src")
            case .liae:
                let ab = try inter(flat, "inter_AB"), b = try inter(flat, "inter_B")
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
