import Neural
/// A trainable tensor: its values, the gradient of the current step, and a stable name for model files.
///
/// A reference type because layers, the optimiser and model files all address the same storage.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    /// The values; layers may alias this storage (a fully connected kernel computes from it directly).
    let value: AlignedBuffer
    /// The gradient, accumulated by backward passes and cleared by ``zeroGradient()``.
    let gradient: AlignedBuffer

    public var count: Int { value.count }

    init(name: String, shape: [Int], value: AlignedBuffer? = nil) {
        self.name = name
        self.shape = shape
        let count = shape.reduce(1, *)
        self.value = value ?? AlignedBuffer(count: count)
        precondition(self.value.count == count, "parameter \(name): storage does not match \(shape)")
        gradient = AlignedBuffer(count: count)
    }

    func zeroGradient() { gradient.baseAddress.update(repeating: 0, count: count) }

    /// Glorot-uniform values: `U(-l, l)`, `l = sqrt(6 / (fanIn + fanOut))` (Keras' and DeepFaceLab's default).
    func initializeGlorot(fanIn: Int, fanOut: Int, random: inout RandomSource) {
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        for i in 0..<count { value.baseAddress[i] = random.uniform(-limit, limit) }
    }

    var values: [Float] { value.array }

    func assign(_ values: [Float]) {
        precondition(values.count == count)
        values.withUnsafeBufferPointer { value.baseAddress.update(from: $0.baseAddress!, count: count) }
    }
}
