/// One compiled operation of a ``Graph``: owns its (prepacked) constants, reads activations, writes one output.
///
/// Kernels are immutable after construction so one graph can be run by several executors on several threads.
protocol Kernel: Sendable {
    /// A short description for profiles (type and shape).
    var label: String { get }
    /// Floats of scratch memory `run` needs (im2col patches and the like).
    var scratchCount: Int { get }
    /// A copy of this kernel with `activation` applied to its output, or nil when it cannot fuse it.
    func fusing(_ activation: Activation) -> (any Kernel)?
    /// Computes the output. `inputs` are the activation operands in graph order; `output` never aliases them.
    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)
}

extension Kernel {
    var label: String { "\(type(of: self))" }
    var scratchCount: Int { 0 }
    func fusing(_ activation: Activation) -> (any Kernel)? { nil }
}

/// A kernel that applies an activation to its own output, so a following activation op can be folded into it.
protocol ActivationFusing: Kernel {
    var activation: ActivationFunction { get set }
    /// Channels of the output: the span of a per-channel activation's parameters (PReLU alphas).
    var outputChannels: Int { get }
}

extension ActivationFusing {
    /// A copy applying `activation`, when this kernel has none yet.
    func fusing(_ activation: Activation) -> (any Kernel)? {
        guard self.activation.isIdentity else { return nil }
        var fused = self
        fused.activation = ActivationFunction(activation, channels: outputChannels)
        return fused
    }
}

/// TensorFlow's padding schemes for convolutions and pooling.
public enum Padding: Sendable, Equatable {
    /// Output `ceil(n / stride)`; total padding split with the extra pixel after (bottom/right).
    case same
    /// No padding; output `ceil((n - k + 1) / stride)`.
    case valid

    /// Output size and leading padding along one axis, or nil when the window does not fit.
    package func resolve(input n: Int, kernel k: Int, stride s: Int) -> (output: Int, before: Int)? {
        guard n > 0, k > 0, s > 0 else { return nil }
        switch self {
        case .same:
            let out = (n + s - 1) / s
            let total = max((out - 1) * s + k - n, 0)
            return (out, total / 2)
        case .valid:
            guard n >= k else { return nil }
            return ((n - k) / s + 1, 0)
        }
    }
}

/// Geometry of a 2-D sliding window (conv, depthwise, pool) over an NHWC input.
package struct WindowGeometry: Sendable, Equatable {
    package var batch: Int, inHeight: Int, inWidth: Int
    package var outHeight: Int, outWidth: Int
    package var kernelHeight: Int, kernelWidth: Int
    package var strideY: Int, strideX: Int
    package var padTop: Int, padLeft: Int

    var label: String {
        "\(inHeight)×\(inWidth) k\(kernelHeight)×\(kernelWidth) s\(strideY) → \(outHeight)×\(outWidth)"
    }

    package init?(input: TensorShape, kernelHeight: Int, kernelWidth: Int, strideY: Int, strideX: Int, padding: Padding) {
        guard input.rank == 4,
              let y = padding.resolve(input: input[1], kernel: kernelHeight, stride: strideY),
              let x = padding.resolve(input: input[2], kernel: kernelWidth, stride: strideX)
        else { return nil }
        batch = input[0]; inHeight = input[1]; inWidth = input[2]
        outHeight = y.output; outWidth = x.output
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideY = strideY; self.strideX = strideX
        padTop = y.before; padLeft = x.before
    }

    /// A window with explicit padding (ONNX `pads`, possibly asymmetric); nil when the output would be empty.
    init?(input: TensorShape, kernelHeight: Int, kernelWidth: Int, strideY: Int, strideX: Int,
          padTop: Int, padLeft: Int, padBottom: Int, padRight: Int) {
        guard input.rank == 4, kernelHeight > 0, kernelWidth > 0, strideY > 0, strideX > 0,
              min(padTop, padLeft, padBottom, padRight) >= 0 else { return nil }
        let spanY = input[1] + padTop + padBottom - kernelHeight, spanX = input[2] + padLeft + padRight - kernelWidth
        guard spanY >= 0, spanX >= 0, max(padTop, padBottom) < kernelHeight, max(padLeft, padRight) < kernelWidth else {
            return nil
        }
        batch = input[0]; inHeight = input[1]; inWidth = input[2]
        outHeight = spanY / strideY + 1; outWidth = spanX / strideX + 1
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideY = strideY; self.strideX = strideX
        self.padTop = padTop; self.padLeft = padLeft
    }

    /// Input rows `ky` covers for output row `oy`: the valid kernel-row range.
    @inline(__always)
    func kernelRows(_ oy: Int) -> Range<Int> {
        let iy0 = oy * strideY - padTop
        return max(0, -iy0)..<min(kernelHeight, inHeight - iy0)
    }

    @inline(__always)
    package func kernelCols(_ ox: Int) -> Range<Int> {
        let ix0 = ox * strideX - padLeft
        return max(0, -ix0)..<min(kernelWidth, inWidth - ix0)
    }
}
