import Foundation
import Testing
@testable import Neural
import TestSupport

/// Each kernel against a plain loop written straight from the TensorFlow definition, on random data.
@Suite struct TensorOpsTests {
    // MARK: Helpers

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in Float(Int(rng.next() % 2001) - 1000) / 500 }
    }

    /// Runs one kernel on `inputs`, returning `outputCount` floats.
    static func run(_ kernel: any Kernel, _ inputs: [[Float]], outputCount: Int) -> [Float] {
        let buffers = inputs.map { AlignedBuffer($0) }
        let output = AlignedBuffer(count: outputCount)
        let scratch = AlignedBuffer(count: kernel.scratchCount)
        let pointers = buffers.map { UnsafePointer($0.baseAddress) }
        // Keep the buffers alive across the call (Swift may release them after their last use above).
        withExtendedLifetime((buffers, scratch)) {
            pointers.withUnsafeBufferPointer { kernel.run(inputs: $0, output: output.baseAddress, scratch: scratch.baseAddress) }
        }
        return output.array
    }

    static func expectClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "max |Δ| \(worst)", sourceLocation: sourceLocation)
    }

    /// TF SAME padding: output ceil(n/s), total max((out−1)s + k − n, 0), floor half before.
    static func same(_ n: Int, _ k: Int, _ s: Int) -> (out: Int, before: Int) {
        let out = (n + s - 1) / s
        return (out, max((out - 1) * s + k - n, 0) / 2)
    }

    static func window(_ padding: Padding, _ n: Int, _ k: Int, _ s: Int) -> (out: Int, before: Int) {
        padding == .same ? same(n, k, s) : ((n - k) / s + 1, 0)
    }

    static func apply(_ act: Activation, _ x: Float, channel c: Int) -> Float {
        switch act {
        case .none: x
        case .relu: max(0, x)
        case .relu6: min(6, max(0, x))
        case .reluN1To1: min(1, max(-1, x))
        case .tanh: tanh(x)
        case .sigmoid: 1 / (1 + exp(-x))
        case .leakyRelu(let a): x < 0 ? a * x : x
        case .prelu(let a): x < 0 ? a[a.count == 1 ? 0 : c] * x : x
        }
    }

    // MARK: Padding

    @Test func samePaddingIsAsymmetric() {
        #expect(Padding.same.resolve(input: 128, kernel: 5, stride: 2)! == (64, 1))
        #expect(Padding.same.resolve(input: 64, kernel: 3, stride: 2)! == (32, 0))
        #expect(Padding.same.resolve(input: 64, kernel: 3, stride: 1)! == (64, 1))
        #expect(Padding.valid.resolve(input: 3, kernel: 3, stride: 3)! == (1, 0))
        #expect(Padding.valid.resolve(input: 2, kernel: 3, stride: 1) == nil)
    }

    // MARK: Convolutions

    struct ConvCase: Sendable, CustomTestStringConvertible {
        var h: Int, w: Int, cin: Int, cout: Int, k: Int, stride: Int, padding: Padding, activation: Activation
        var testDescription: String { "\(h)×\(w)×\(cin)→\(cout) k\(k) s\(stride) \(padding)" }
    }

    @Test(arguments: [
        ConvCase(h: 9, w: 11, cin: 3, cout: 5, k: 5, stride: 2, padding: .same, activation: .relu6),
        ConvCase(h: 8, w: 8, cin: 4, cout: 28, k: 3, stride: 1, padding: .valid, activation: .none),
        ConvCase(h: 6, w: 7, cin: 24, cout: 40, k: 1, stride: 1, padding: .valid, activation: .prelu(alpha: (0..<40).map { Float($0) / 40 })),
        ConvCase(h: 5, w: 5, cin: 16, cout: 600, k: 1, stride: 1, padding: .same, activation: .relu),  // wide PackedGEMM
        ConvCase(h: 7, w: 6, cin: 8, cout: 520, k: 3, stride: 2, padding: .same, activation: .none),  // wide, gathered
        ConvCase(h: 5, w: 5, cin: 6, cout: 140, k: 5, stride: 1, padding: .valid, activation: .none),  // sgemv
        ConvCase(h: 6, w: 6, cin: 96, cout: 384, k: 1, stride: 1, padding: .valid, activation: .none),  // wide PackedGEMM
        ConvCase(h: 3, w: 3, cin: 6, cout: 9, k: 3, stride: 3, padding: .valid, activation: .none),  // FaceMesh head
        // Narrow pointwise (NarrowPointwise on AVX-512): 6×4 and 4×6 tiles, left-over rows, activations in and
        // after registers.
        ConvCase(h: 7, w: 5, cin: 16, cout: 64, k: 1, stride: 1, padding: .valid, activation: .relu6),
        ConvCase(h: 5, w: 3, cin: 24, cout: 96, k: 1, stride: 1, padding: .valid, activation: .prelu(alpha: (0..<96).map { Float($0) / 96 })),
        ConvCase(h: 3, w: 7, cin: 32, cout: 64, k: 1, stride: 1, padding: .valid, activation: .none),
    ])
    func conv2D(_ c: ConvCase) {
        let x = Self.random(c.h * c.w * c.cin, seed: 1), wt = Self.random(c.cout * c.k * c.k * c.cin, seed: 2)
        let bias = Self.random(c.cout, seed: 3)
        let (oh, ph) = Self.window(c.padding, c.h, c.k, c.stride), (ow, pw) = Self.window(c.padding, c.w, c.k, c.stride)
        var expected = [Float](repeating: 0, count: oh * ow * c.cout)
        for oy in 0..<oh { for ox in 0..<ow { for o in 0..<c.cout {
            var sum = bias[o]
            for ky in 0..<c.k { for kx in 0..<c.k {
                let iy = oy * c.stride - ph + ky, ix = ox * c.stride - pw + kx
                guard iy >= 0, iy < c.h, ix >= 0, ix < c.w else { continue }
                for i in 0..<c.cin { sum += x[(iy * c.w + ix) * c.cin + i] * wt[((o * c.k + ky) * c.k + kx) * c.cin + i] }
            } }
            expected[(oy * ow + ox) * c.cout + o] = Self.apply(c.activation, sum, channel: o)
        } } }
        let g = WindowGeometry(input: [1, c.h, c.w, c.cin], kernelHeight: c.k, kernelWidth: c.k, strideY: c.stride, strideX: c.stride, padding: c.padding)!
        let kernel = Conv2D(geometry: g, inChannels: c.cin, outChannels: c.cout, weights: wt, bias: bias, activation: c.activation)
        #expect(kernel.usesBLAS == (oh * ow == 1 && c.cout > 128))
        Self.expectClose(Self.run(kernel, [x], outputCount: expected.count), expected)

        // The same conv with a narrower residual fused in, then ReLU.
        let rc = max(1, c.cout - 3)
        let residual = Self.random(oh * ow * rc, seed: 4)
        let fused = Conv2D(geometry: g, inChannels: c.cin, outChannels: c.cout, weights: wt, bias: bias, activation: .none)
            .fusingResidual(channels: rc)!.fusing(.relu)!
        var expectedResidual = expected
        let plain = Self.run(Conv2D(geometry: g, inChannels: c.cin, outChannels: c.cout, weights: wt, bias: bias, activation: .none), [x], outputCount: expected.count)
        for p in 0..<oh * ow { for o in 0..<c.cout {
            expectedResidual[p * c.cout + o] = max(0, plain[p * c.cout + o] + (o < rc ? residual[p * rc + o] : 0))
        } }
        Self.expectClose(Self.run(fused, [x, residual], outputCount: expected.count), expectedResidual)
    }

    @Test(arguments: [(10, 9, 12, 3, 1, Padding.same), (10, 9, 12, 3, 2, .same), (7, 8, 5, 3, 1, .same),
                      (9, 9, 16, 5, 1, .valid), (8, 8, 32, 3, 2, .valid), (12, 12, 8, 3, 1, .valid),
                      // Other kernel sizes' row sweep: blocks of four outputs, borders, ragged channel blocks.
                      (14, 13, 24, 5, 1, .same), (15, 17, 40, 5, 2, .same), (11, 12, 20, 7, 1, .same), (9, 10, 8, 2, 2, .valid),
                      (6, 3, 9, 5, 1, .same)])
    func depthwise(_ h: Int, _ w: Int, _ ch: Int, _ k: Int, _ s: Int, _ padding: Padding) {
        let x = Self.random(h * w * ch, seed: 5), wt = Self.random(k * k * ch, seed: 6), bias = Self.random(ch, seed: 7)
        let alpha = (0..<ch).map { Float($0 + 1) / Float(ch) }
        let (oh, ph) = Self.window(padding, h, k, s), (ow, pw) = Self.window(padding, w, k, s)
        var expected = [Float](repeating: 0, count: oh * ow * ch)
        for oy in 0..<oh { for ox in 0..<ow { for c in 0..<ch {
            var sum = bias[c]
            for ky in 0..<k { for kx in 0..<k {
                let iy = oy * s - ph + ky, ix = ox * s - pw + kx
                if iy >= 0 && iy < h && ix >= 0 && ix < w { sum += x[(iy * w + ix) * ch + c] * wt[(ky * k + kx) * ch + c] }
            } }
            expected[(oy * ow + ox) * ch + c] = sum < 0 ? alpha[c] * sum : sum
        } } }
        let g = WindowGeometry(input: [1, h, w, ch], kernelHeight: k, kernelWidth: k, strideY: s, strideX: s, padding: padding)!
        let kernel = DepthwiseConv2D(geometry: g, channels: ch, weights: wt, bias: bias, activation: .none).fusing(.prelu(alpha: alpha))!
        Self.expectClose(Self.run(kernel, [x], outputCount: expected.count), expected)
    }

    // MARK: Pooling, resize, layout

    @Test(arguments: [(Pool2D.Mode.max, 2, 2, Padding.same, 16), (.max, 3, 2, .same, 5), (.average, 3, 1, .same, 12), (.average, 2, 2, .valid, 3)])
    func pooling(_ mode: Pool2D.Mode, _ k: Int, _ s: Int, _ padding: Padding, _ ch: Int) {
        let (h, w) = (8, 7)
        let x = Self.random(h * w * ch, seed: 8)
        let (oh, ph) = Self.window(padding, h, k, s), (ow, pw) = Self.window(padding, w, k, s)
        var expected: [Float] = []
        for oy in 0..<oh { for ox in 0..<ow { for c in 0..<ch {
            var values: [Float] = []
            for ky in 0..<k { for kx in 0..<k {
                let iy = oy * s - ph + ky, ix = ox * s - pw + kx
                if iy >= 0 && iy < h && ix >= 0 && ix < w { values.append(x[(iy * w + ix) * ch + c]) }
            } }
            expected.append(mode == .max ? values.max()! : values.reduce(0, +) / Float(values.count))
        } } }
        let g = WindowGeometry(input: [1, h, w, ch], kernelHeight: k, kernelWidth: k, strideY: s, strideX: s, padding: padding)!
        Self.expectClose(Self.run(Pool2D(mode: mode, geometry: g, channels: ch, activation: .none), [x], outputCount: expected.count), expected)
    }

    @Test(arguments: [(false, false), (true, false), (false, true)])
    func resizeBilinear(_ alignCorners: Bool, _ halfPixel: Bool) {
        let (h, w, ch) = (5, 7, 10)
        let x = Self.random(h * w * ch, seed: 9)
        for (oh, ow) in [(10, 14), (3, 4), (12, 5)] {
            func src(_ i: Int, _ n: Int, _ out: Int) -> (Int, Int, Float) {
                let scale = alignCorners && out > 1 ? Float(n - 1) / Float(out - 1) : Float(n) / Float(out)
                let v = halfPixel ? (Float(i) + 0.5) * scale - 0.5 : Float(i) * scale
                let lo = max(Int(floor(v)), 0), hi = min(Int(ceil(v)), n - 1)
                return (lo, hi, v - Float(lo))
            }
            var expected: [Float] = []
            for oy in 0..<oh { for ox in 0..<ow { for c in 0..<ch {
                let (y0, y1, ty) = src(oy, h, oh), (x0, x1, tx) = src(ox, w, ow)
                func at(_ y: Int, _ xx: Int) -> Float { x[(y * w + xx) * ch + c] }
                let top = at(y0, x0) * (1 - tx) + at(y0, x1) * tx, bottom = at(y1, x0) * (1 - tx) + at(y1, x1) * tx
                expected.append(top * (1 - ty) + bottom * ty)
            } } }
            let kernel = Resize(mode: .bilinear, input: [1, h, w, ch], outHeight: oh, outWidth: ow, alignCorners: alignCorners, halfPixelCenters: halfPixel)
            Self.expectClose(Self.run(kernel, [x], outputCount: expected.count), expected)
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true)])
    func resizeNearest(_ alignCorners: Bool, _ halfPixel: Bool) {
        let (h, w, ch) = (4, 6, 3)
        let x = Self.random(h * w * ch, seed: 10)
        let (oh, ow) = (9, 4)
        func src(_ i: Int, _ n: Int, _ out: Int) -> Int {
            let scale = alignCorners && out > 1 ? Float(n - 1) / Float(out - 1) : Float(n) / Float(out)
            let v = (Float(i) + (halfPixel ? 0.5 : 0)) * scale
            return max(0, min(alignCorners ? Int(v.rounded()) : Int(floor(v)), n - 1))
        }
        var expected: [Float] = []
        for oy in 0..<oh { for ox in 0..<ow { for c in 0..<ch { expected.append(x[(src(oy, h, oh) * w + src(ox, w, ow)) * ch + c]) } } }
        let kernel = Resize(mode: .nearest, input: [1, h, w, ch], outHeight: oh, outWidth: ow, alignCorners: alignCorners, halfPixelCenters: halfPixel)
        #expect(Self.run(kernel, [x], outputCount: expected.count) == expected)
    }

    @Test func padConcatTransposeDepthToSpace() {
        let (h, w, c) = (3, 4, 5)
        let x = Self.random(h * w * c, seed: 11)
        func at(_ y: Int, _ xx: Int, _ ch: Int) -> Float { x[(y * w + xx) * c + ch] }

        // Pad H by (1, 2), W by (0, 1), C by (2, 3).
        let pad = Pad(shape: [1, h, w, c], paddings: [(0, 0), (1, 2), (0, 1), (2, 3)])
        var padded: [Float] = []
        for y in 0..<h + 3 { for xx in 0..<w + 1 { for ch in 0..<c + 5 {
            let (iy, ic) = (y - 1, ch - 2)
            padded.append(iy >= 0 && iy < h && xx < w && ic >= 0 && ic < c ? at(iy, xx, ic) : 0)
        } } }
        #expect(Self.run(pad, [x], outputCount: padded.count) == padded)
        #expect(!pad.isTrailingChannelPad && Pad(shape: [1, h, w, c], paddings: [(0, 0), (0, 0), (0, 0), (0, 3)]).isTrailingChannelPad)

        // Concatenate along channels with a 2-channel tensor, and along height with itself.
        let y2 = Self.random(h * w * 2, seed: 12)
        var catC: [Float] = []
        for p in 0..<h * w {
            catC.append(contentsOf: x[p * c ..< (p + 1) * c])
            catC.append(contentsOf: y2[p * 2 ..< (p + 1) * 2])
        }
        #expect(Self.run(Concatenation(shapes: [[1, h, w, c], [1, h, w, 2]], axis: 3, activation: .none), [x, y2], outputCount: catC.count) == catC)
        #expect(Self.run(Concatenation(shapes: [[1, h, w, c], [1, h, w, c]], axis: 1, activation: .none), [x, x], outputCount: 2 * x.count) == x + x)

        // NHWC → NCHW.
        var nchw: [Float] = []
        for ch in 0..<c { for y in 0..<h { for xx in 0..<w { nchw.append(at(y, xx, ch)) } } }
        #expect(Self.run(Transpose(shape: [1, h, w, c], permutation: [0, 3, 1, 2]), [x], outputCount: nchw.count) == nchw)

        // Depth-to-space, block 2, 8 → 2 channels.
        let d = Self.random(2 * 3 * 8, seed: 13)
        var shuffled = [Float](repeating: 0, count: d.count)
        for y in 0..<2 { for xx in 0..<3 { for i in 0..<2 { for j in 0..<2 { for ch in 0..<2 {
            shuffled[((y * 2 + i) * 6 + xx * 2 + j) * 2 + ch] = d[(y * 3 + xx) * 8 + (i * 2 + j) * 2 + ch]
        } } } } }
        #expect(Self.run(DepthToSpace(input: [1, 2, 3, 8], block: 2), [d], outputCount: d.count) == shuffled)
    }

    /// Depth-to-space on a tensor large enough to split over threads (batch 2, both channel orders).
    @Test func largeDepthToSpace() {
        let (n, h, w, c, b) = (2, 12, 10, 1_024, 2)
        let oc = c / (b * b)
        let d = Self.random(n * h * w * c, seed: 17)
        for order in [DepthToSpace.Order.depthColumnRow, .columnRowDepth] {
            var expected = [Float](repeating: 0, count: d.count)
            for image in 0..<n { for y in 0..<h { for x in 0..<w { for i in 0..<b { for j in 0..<b { for ch in 0..<oc {
                let source = order == .depthColumnRow ? (i * b + j) * oc + ch : ch * b * b + i * b + j
                expected[(((image * h + y) * b + i) * w * b + x * b + j) * oc + ch] = d[((image * h + y) * w + x) * c + source]
            } } } } } }
            #expect(Self.run(DepthToSpace(input: [n, h, w, c], block: b, order: order), [d], outputCount: d.count) == expected)
        }
    }

    @Test(arguments: [3, 1])  // 1 row: sgemv
    func fullyConnected(m: Int) {
        let (k, n) = (17, 11)
        let x = Self.random(m * k, seed: 14), wt = Self.random(n * k, seed: 15), b = Self.random(n, seed: 16)
        var expected: [Float] = []
        for r in 0..<m { for o in 0..<n {
            var s = b[o]
            for i in 0..<k { s += x[r * k + i] * wt[o * k + i] }
            expected.append(tanh(s))
        } }
        let kernel = FullyConnected(rows: m, inFeatures: k, outFeatures: n, weights: wt, bias: b, activation: .none).fusing(.tanh)!
        Self.expectClose(Self.run(kernel, [x], outputCount: expected.count), expected)
    }

    @Test func meanOverContiguousAxes() throws {
        let (h, w, c) = (3, 5, 7)
        let x = Self.random(h * w * c, seed: 41)
        // Global average pooling (axes H, W of NHWC), as the hand landmark network uses it.
        let spatial = try #require(Mean(shape: [1, h, w, c], axes: [2, 1]))
        let pooled = (0..<c).map { ch in (0..<h * w).reduce(Float(0)) { $0 + x[$1 * c + ch] } / Float(h * w) }
        Self.expectClose(Self.run(spatial, [x], outputCount: c), pooled)
        // Channels only.
        let channels = try #require(Mean(shape: [1, h, w, c], axes: [-1 + 4]))
        let perPixel = (0..<h * w).map { p in x[(p * c)..<(p * c + c)].reduce(0, +) / Float(c) }
        Self.expectClose(Self.run(channels, [x], outputCount: h * w), perPixel)
        #expect(Mean(shape: [1, h, w, c], axes: [1, 3]) == nil)
        #expect(Mean(shape: [1, h, w, c], axes: []) == nil)
    }

    @Test func elementwiseAndActivations() {
        let (p, c) = (7, 13)
        let a = Self.random(p * c, seed: 17), b = Self.random(p * c, seed: 18), narrow = Self.random(p * 9, seed: 19)
        let acts: [Activation] = [.none, .relu, .relu6, .reluN1To1, .tanh, .sigmoid, .leakyRelu(alpha: 0.2), .prelu(alpha: [0.3]),
                                  .prelu(alpha: (0..<c).map { Float($0) / 10 })]
        for act in acts {
            let sum = (0..<p * c).map { Self.apply(act, a[$0] + b[$0], channel: $0 % c) }
            Self.expectClose(Self.run(BinaryElementwise(op: .add, pixels: p, channels: c, channelsA: c, channelsB: c, activation: act), [a, b], outputCount: p * c), sum)
            Self.expectClose(Self.run(ActivationLayer(act, pixels: p, channels: c), [a], outputCount: p * c),
                             (0..<p * c).map { Self.apply(act, a[$0], channel: $0 % c) })
        }
        let product = (0..<p * c).map { a[$0] * b[$0] }
        Self.expectClose(Self.run(BinaryElementwise(op: .mul, pixels: p, channels: c, channelsA: c, channelsB: c, activation: .none), [a, b], outputCount: p * c), product)
        // Channel-padded add (the absorbed PAD of residual shortcuts), narrow operand first and second.
        let padded = (0..<p * c).map { i in a[i] + (i % c < 9 ? narrow[i / c * 9 + i % c] : 0) }
        Self.expectClose(Self.run(BinaryElementwise(op: .add, pixels: p, channels: c, channelsA: c, channelsB: 9, activation: .none), [a, narrow], outputCount: p * c), padded)
        Self.expectClose(Self.run(BinaryElementwise(op: .add, pixels: p, channels: c, channelsA: 9, channelsB: c, activation: .none), [narrow, a], outputCount: p * c), padded)
        // Constant operands: per channel, scalar, full tensor.
        let k = Self.random(c, seed: 20)
        Self.expectClose(Self.run(ConstantElementwise(op: .mul, pixels: p, channels: c, constant: k, activation: .none), [a], outputCount: p * c),
                         (0..<p * c).map { a[$0] * k[$0 % c] })
        Self.expectClose(Self.run(ConstantElementwise(op: .add, pixels: p, channels: c, constant: [2], activation: .relu), [a], outputCount: p * c),
                         (0..<p * c).map { max(0, a[$0] + 2) })
        Self.expectClose(Self.run(ConstantElementwise(op: .add, pixels: p, channels: c, constant: b, activation: .none), [a], outputCount: p * c),
                         (0..<p * c).map { a[$0] + b[$0] })
    }

    /// A chain through the graph executor: fusion and buffer reuse give the same numbers as the plain kernels.
    @Test func graphFusesAndReusesBuffers() {
        let (h, w, c) = (6, 6, 8)
        let x = Self.random(h * w * c, seed: 21)
        let g = WindowGeometry(input: [1, h, w, c], kernelHeight: 1, kernelWidth: 1, strideY: 1, strideX: 1, padding: .valid)!
        let wt = Self.random(12 * c, seed: 22)
        let conv = Conv2D(geometry: g, inChannels: c, outChannels: 12, weights: wt, bias: nil, activation: .none)
        let pad = Pad(shape: [1, h, w, c], paddings: [(0, 0), (0, 0), (0, 0), (0, 4)])
        let add = BinaryElementwise(op: .add, pixels: h * w, channels: 12, channelsA: 12, channelsB: 12, activation: .none)
        let relu = ActivationLayer(.relu, pixels: h * w, channels: 12)
        var nodes: [Graph.Node] = [
            .init(operation: .kernel(conv), inputs: [0], output: 1),
            .init(operation: .kernel(pad), inputs: [0], output: 2),
            .init(operation: .kernel(add), inputs: [1, 2], output: 3),
            .init(operation: .kernel(relu), inputs: [3], output: 4),
        ]
        var shapes: [TensorShape] = [[1, h, w, c], [1, h, w, 12], [1, h, w, 12], [1, h, w, 12], [1, h, w, 12]]
        // Then ten more ReLU/conv-free layers, so buffers get reused.
        for i in 0..<10 {
            nodes.append(.init(operation: .kernel(ActivationLayer(.leakyRelu(alpha: 0.5), pixels: h * w, channels: 12)), inputs: [4 + i], output: 5 + i))
            shapes.append([1, h, w, 12])
        }
        let graph = Graph(shapes: shapes, names: shapes.indices.map { "t\($0)" }, nodes: nodes, inputs: [0], outputs: [shapes.count - 1])
        #expect(graph.kernelCount == 11)  // conv+pad+add+relu fused into one conv
        #expect(graph.plan.arenaCount < shapes.reduce(0) { $0 + $1.count } / 2)

        let convOut = Self.run(conv, [x], outputCount: h * w * 12)
        var expected = (0..<h * w * 12).map { i in max(0, convOut[i] + (i % 12 < c ? x[i / 12 * c + i % 12] : 0)) }
        for _ in 0..<10 { expected = expected.map { $0 < 0 ? 0.5 * $0 : $0 } }
        let out = GraphExecutor(graph: graph).run([Tensor(shape: [1, h, w, c], values: x)])
        Self.expectClose(out[0].scalars, expected)
    }
}
