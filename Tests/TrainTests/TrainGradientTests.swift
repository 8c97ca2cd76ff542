import Testing
@testable import Train
@testable import Neural
import Swap
import Stream
import Face
import Foundation

/// Backward passes agree with finite differences (relative error ≤ 1e-2, fp32 forward, Double loss).
@Suite struct TrainGradientTests {
    static let tolerance = 1e-2

    static func expectSmall(_ errors: [String: Double], _ comment: Comment? = nil) {
        #expect(!errors.isEmpty)
        for (name, error) in errors.sorted(by: { $0.key < $1.key }) {
            #expect(error <= tolerance, "\(name): relative error \(error)")
        }
    }

    let training = ModuleContext(batch: 2, training: true, threads: 2)

    @Test func conv3x3LeakyReLU() {
        let conv = ConvLayer(name: "c", height: 6, width: 5, inChannels: 3, outChannels: 8, kernel: 3,
                             activation: .leakyRelu(0.1), context: training)
        Self.expectSmall(GradientCheck.check(conv, batch: 2))
    }

    @Test func conv5x5Stride2() {
        let conv = ConvLayer(name: "c", height: 8, width: 8, inChannels: 4, outChannels: 6, kernel: 5, stride: 2,
                             activation: .leakyRelu(0.1), context: training)
        Self.expectSmall(GradientCheck.check(conv, batch: 2))
    }

    @Test func conv1x1Sigmoid() {
        let conv = ConvLayer(name: "c", height: 4, width: 4, inChannels: 6, outChannels: 3, kernel: 1,
                             activation: .sigmoid, context: training)
        Self.expectSmall(GradientCheck.check(conv, batch: 2))
    }

    /// More than 128 output channels: the OpenBLAS path of the runtime kernel.
    @Test func wideConvThroughBLAS() {
        let conv = ConvLayer(name: "c", height: 3, width: 3, inChannels: 2, outChannels: 136, kernel: 3,
                             activation: .identity, context: training)
        Self.expectSmall(GradientCheck.check(conv, batch: 2))
    }

    @Test func residualBlock() {
        let block = ResidualBlock(name: "r", size: 4, channels: 5, context: training)
        Self.expectSmall(GradientCheck.check(block, batch: 2))
    }

    @Test func dense() {
        let dense = DenseLayer(name: "d", inFeatures: 12, outFeatures: 7, context: training)
        Self.expectSmall(GradientCheck.check(dense, batch: 2))
    }

    @Test func pixelShuffle() {
        // Depth-to-space followed by a conv, so the permutation's adjoint is checked through a parameterised loss.
        let shuffle = PixelShuffleLayer(height: 3, width: 2, inChannels: 8, context: training)
        let conv = ConvLayer(name: "c", height: 6, width: 4, inChannels: 2, outChannels: 3, kernel: 3,
                             activation: .identity, context: training)
        Self.expectSmall(GradientCheck.check(Sequential([shuffle, conv]), batch: 2))
    }

    /// The eyes-and-mouth term: its gradient by finite differences, and its value is exactly the weighted L1.
    @Test func eyesAndMouthPriorityGradient() {
        var random = RandomSource(seed: 9)
        let r = 12, count = r * r * 3
        var face = (0..<count).map { _ in random.unit() }
        let target = (0..<count).map { _ in random.unit() }
        let mask = (0..<(r * r)).map { _ in random.unit() }
        let priority = (0..<(r * r)).map { i in i % 3 == 0 ? random.unit() : 0 }
        let predictedMask = (0..<(r * r)).map { _ in random.unit() }
        let loss = SampleLoss(resolution: r)
        var faceGradient = [Float](repeating: 0, count: count), maskGradient = [Float](repeating: 0, count: r * r)
        func evaluate(_ face: UnsafePointer<Float>, weight: Float, gradient: Bool) -> Double {
            var fg = [Float](repeating: 0, count: count), mg = [Float](repeating: 0, count: r * r)
            let value = loss.evaluate(face: face, predictedMask: predictedMask, target: target, mask: mask, scale: 0.5,
                                      faceGradient: &fg, maskGradient: &mg, priority: priority, priorityWeight: weight)
            if gradient { faceGradient = fg; maskGradient = mg }
            return value
        }
        let with = evaluate(face, weight: 300, gradient: true), without = evaluate(face, weight: 0, gradient: false)
        var l1 = 0.0
        for p in 0..<(r * r) { for c in 0..<3 { l1 += Double(abs((face[p * 3 + c] - target[p * 3 + c]) * priority[p])) } }
        #expect(abs((with - without) - 0.5 * 300 * l1 / Double(count)) < 1e-6 * with)
        let error = face.withUnsafeMutableBufferPointer { fb in
            GradientCheck.compare(storage: fb.baseAddress!, count: count, analytic: { faceGradient[$0] }, samples: 60,
                                  eps: 1e-3, random: &random) { evaluate(fb.baseAddress!, weight: 300, gradient: false) }
        }
        #expect(error <= Self.tolerance, "relative error \(error)")
    }

    /// FaceMesh landmarks give an eyes-and-mouth mask inside the face; other landmark sets none.
    @Test func eyesAndMouthMask() {
        let r = 32
        var points = [[Float]](repeating: [16, 16], count: 468)
        for (i, index) in (FaceMeshTopology.rightEye + FaceMeshTopology.leftEye + FaceMeshTopology.outerLips).enumerated() {
            let centre: (Float, Float) = i < 16 ? (10, 12) : i < 32 ? (22, 12) : (16, 24)
            let angle = Float(i) * 0.7
            points[index] = [centre.0 + 3 * Foundation.cos(angle), centre.1 + 2 * Foundation.sin(angle)]
        }
        let crop = RGBImage(width: r, height: r)
        let mesh = FaceSample(crop: crop, landmarks: points, resolution: r)
        let covered = mesh.priority.reduce(0, +)
        #expect(covered > 20 && covered < 150, "eyes and mouth cover \(covered) px")
        #expect(mesh.priority[12 * r + 10] > 0.9 && mesh.priority[24 * r + 16] > 0.9 && mesh.priority[2 * r + 2] == 0)
        let square = FaceSample(crop: crop, landmarks: [[4, 4], [28, 4], [28, 28], [4, 28]], resolution: r)
        #expect(square.priority.allSatisfy { $0 == 0 })
    }

    @Test func dssimGradient() {
        var random = RandomSource(seed: 3)
        let size = 12
        let x = (0..<(size * size)).map { _ in random.unit() }
        var y = (0..<(size * size)).map { _ in random.unit() }
        var dssim = DSSIM(size: size, windowSize: 5)
        var gradient = [Float](repeating: 0, count: size * size)
        _ = dssim.evaluate(x: x, y: y, stride: 1, scale: 1, gradient: &gradient)
        let error = y.withUnsafeMutableBufferPointer { yb in
            GradientCheck.compare(storage: yb.baseAddress!, count: size * size, analytic: { gradient[$0] }, samples: 40,
                                  eps: 1e-2, random: &random) {
                dssim.evaluate(x: x, y: yb.baseAddress!, stride: 1, scale: 1, gradient: nil)
            }
        }
        #expect(error <= Self.tolerance, "relative error \(error)")
        // Identical images are perfectly similar.
        #expect(abs(dssim.evaluate(x: x, y: x, stride: 1, scale: 1, gradient: nil)) < 1e-5)
    }

    /// The whole network and loss: DF and LIAE at 16 px with tiny widths, leaky ReLUs made linear (their kinks,
    /// thousands in a network, spoil finite differences; each activation is checked above).
    @Test(arguments: SwapArchitecture.allCases)
    func wholeModel(_ architecture: SwapArchitecture) {
        let config = SwapModelConfig(architecture: architecture, resolution: 16, aeDims: 6, eDims: 2, dDims: 2, dMaskDims: 2,
                                     residualBlocks: true)
        let batch = 2
        let model = makeTrainingModel(config, batch: batch, threads: 2, linearActivations: true)
        model.initialize(seed: 11)
        var random = RandomSource(seed: 5)
        let pixels = 2 * batch * 16 * 16
        let input = (0..<(pixels * 3)).map { _ in random.unit() }
        let target = (0..<(pixels * 3)).map { _ in random.unit() }
        let mask = (0..<pixels).map { i in (i % 16) > 3 && (i % 16) < 13 ? Float(1) : random.unit() }
        let loss = SwapLoss(resolution: 16, batch: batch, threads: 2)
        func evaluate() -> Double { loss.evaluate(model.forward(input), target: target, mask: mask).total }
        _ = evaluate()
        model.backward(faceGradient: loss.faceGradient.baseAddress, maskGradient: loss.maskGradient.baseAddress)
        var errors: [String: Double] = [:]
        for p in model.parameters {
            errors[p.name] = GradientCheck.directional(p, eps: 2e-2, random: &random, loss: evaluate)
        }
        Self.expectSmall(errors)
    }
}
