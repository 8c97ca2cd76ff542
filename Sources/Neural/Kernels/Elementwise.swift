/// The arithmetic of the binary elementwise kernels.
enum BinaryOperator: Sendable {
    case add, mul, sub, div

    /// The operator on eight lanes or on one value.
    @inline(__always)
    func callAsFunction<V: LaneArithmetic>(_ a: V, _ b: V) -> V {
        switch self {
        case .add: return a + b
        case .mul: return a * b
        case .sub: return a - b
        case .div: return a / b
        }
    }
}

/// What the elementwise kernels compute on: a `Float` (scalar tails) or a `SIMD8<Float>` (blocks of 8 channels).
protocol LaneArithmetic {
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
}

extension Float: LaneArithmetic {}
extension SIMD8: LaneArithmetic where Scalar == Float {}

/// Walks `[pixels × channels]` in blocks of 8 channels and a scalar tail, so per-channel constants line up.
@inline(__always)
func forEachChannelBlock(
    pixels: Int, channels: Int,
    _ vector: (_ offset: Int, _ channel: Int) -> Void,
    _ scalar: (_ offset: Int, _ channel: Int) -> Void
) {
    let vectorEnd = channels & ~7
    for p in 0..<pixels {
        let row = p * channels
        var c = 0
        while c < vectorEnd { vector(row + c, c); c += 8 }
        while c < channels { scalar(row + c, c); c += 1 }
    }
}

/// `out = act(a ⊕ b)` for two activations of the same spatial size. For `add`, an operand with fewer channels
/// counts as zero-padded at the end: this absorbs the channel PAD on BlazeFace/FaceMesh residual shortcuts.
struct BinaryElementwise: ActivationFusing {
    let op: BinaryOperator
    let pixels: Int
    let channels: Int
    let channelsA: Int
    let channelsB: Int
    var activation: ActivationFunction

    init(op: BinaryOperator, pixels: Int, channels: Int, channelsA: Int, channelsB: Int, activation: Activation) {
        precondition(op == .add || (channelsA == channels && channelsB == channels))
        precondition(channelsA <= channels && channelsB <= channels)
        self.op = op
        self.pixels = pixels
        self.channels = channels
        self.channelsA = channelsA
        self.channelsB = channelsB
        self.activation = ActivationFunction(activation, channels: channels)
    }

    var outputChannels: Int { channels }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let activation = self.activation.applier
        let a = inputs[0], b = inputs[1]
        let c = channels
        if channelsA == c && channelsB == c {
            forEachChannelBlock(pixels: pixels, channels: c, { i, ch in
                activation(op(SIMD8.load(a + i), SIMD8.load(b + i)), channel: ch).store(to: output + i)
            }, { i, ch in
                output[i] = activation(op(a[i], b[i]), channel: ch)
            })
            return
        }
        // Channel-padded add: per pixel, add the shared channels, then carry the wider operand's extra ones.
        let ca = channelsA, cb = channelsB
        let common = min(ca, cb)
        for p in 0..<pixels {
            let ra = a + p * ca, rb = b + p * cb, ro = output + p * c
            var ch = 0
            while ch + 8 <= common {
                activation(SIMD8.load(ra + ch) + SIMD8.load(rb + ch), channel: ch).store(to: ro + ch)
                ch += 8
            }
            while ch < common { ro[ch] = activation(ra[ch] + rb[ch], channel: ch); ch += 1 }
            let wide = ca > cb ? ra : rb
            while ch < max(ca, cb) { ro[ch] = activation(wide[ch], channel: ch); ch += 1 }
            while ch < c { ro[ch] = activation(0, channel: ch); ch += 1 }
        }
    }
}

/// `out = act(x ⊕ k)` with a constant `k` that is either one value per channel or a full tensor of `x`'s shape.
struct ConstantElementwise: ActivationFusing {
    let op: BinaryOperator
    let pixels: Int
    let channels: Int
    let constant: AlignedBuffer
    let perChannel: Bool
    var activation: ActivationFunction

    /// `constant` has 1, `channels` or `pixels·channels` values.
    init(op: BinaryOperator, pixels: Int, channels: Int, constant: [Float], activation: Activation) {
        self.op = op
        self.pixels = pixels
        self.channels = channels
        if constant.count == 1 {
            self.constant = AlignedBuffer([Float](repeating: constant[0], count: channels))
            perChannel = true
        } else {
            precondition(constant.count == channels || constant.count == pixels * channels)
            self.constant = AlignedBuffer(constant)
            perChannel = constant.count == channels && pixels > 1
        }
        self.activation = ActivationFunction(activation, channels: channels)
    }

    var outputChannels: Int { channels }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let activation = self.activation.applier
        let x = inputs[0]
        let k = UnsafePointer(constant.baseAddress)
        let perChannel = perChannel
        forEachChannelBlock(pixels: pixels, channels: channels, { i, ch in
            activation(op(SIMD8.load(x + i), SIMD8.load(k + (perChannel ? ch : i))), channel: ch).store(to: output + i)
        }, { i, ch in
            output[i] = activation(op(x[i], k[perChannel ? ch : i]), channel: ch)
        })
    }
}

/// A standalone activation layer (when it could not be fused into the op before it).
struct ActivationLayer: Kernel {
    let activation: Activation
    let function: ActivationFunction
    let pixels: Int
    let channels: Int

    init(_ activation: Activation, pixels: Int, channels: Int) {
        self.activation = activation
        function = ActivationFunction(activation, channels: channels)
        self.pixels = pixels
        self.channels = channels
    }

    func run(inputs: UnsafeBufferPointer<UnsafePointer<Float>>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let function = self.function.applier
        let x = inputs[0]
        forEachChannelBlock(pixels: pixels, channels: channels, { i, ch in
            function(SIMD8.load(x + i), channel: ch).store(to: output + i)
        }, { i, ch in
            output[i] = function(x[i], channel: ch)
        })
    }
}
