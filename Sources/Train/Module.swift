import Neural

/// How modules are built: the batch they run on, whether they keep what backward passes need, and threads.
public struct ModuleContext: Sendable {
    /// Samples per forward pass; buffers are sized for it once, so passes allocate nothing.
    public var batch: Int
    /// Allocate gradient buffers (training) or not (inference).
    public var training: Bool
    /// Threads for the Swift kernels (GEMMs use OpenBLAS's own thread count).
    public var threads: Int
    /// How training convolutions multiply (bf16: products in bf16, sums and weights in fp32, where the CPU and the
    /// layer's shape allow; see ``Conv2D/converting(to:)``).
    public var precision: Precision
    /// Transient backward-pass storage shared by the modules built with this context (patch gradients are
    /// needed only inside one layer's backward pass, and layers run one at a time).
    let scratch: SharedScratch

    public init(batch: Int, training: Bool, threads: Int = 2, precision: Precision = .fp32) {
        self.batch = batch
        self.training = training
        self.threads = max(1, threads)
        self.precision = precision
        scratch = SharedScratch()
    }

    /// The same context (and scratch) for another batch size.
    func with(batch: Int) -> ModuleContext {
        var copy = self
        copy.batch = batch
        return copy
    }
}

/// A growable buffer lent to one module at a time.
final class SharedScratch: @unchecked Sendable {
    private var buffer = AlignedBuffer(count: 0)

    /// At least `count` floats; valid until the next call.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if buffer.count < count { buffer = AlignedBuffer(count: count) }
        return buffer.baseAddress
    }
}

/// A differentiable piece of a network with fixed shapes, owning its output and input-gradient buffers.
///
/// `forward` reads `input` (batch × `inputCount` floats), which must stay untouched until `backward`, and returns its
/// own output buffer. `backward` takes dL/dOutput (which it may overwrite), accumulates parameter gradients and
/// returns dL/dInput in its own buffer, or nil when built without input gradients (a network's first layer).
protocol Module: AnyObject {
    var parameters: [Parameter] { get }
    /// Floats per sample.
    var inputCount: Int { get }
    var outputCount: Int { get }
    /// Floating-point operations of one sample's forward pass (a multiply-add counts two).
    var flopsPerSample: Int { get }
    func forward(_ input: UnsafePointer<Float>) -> UnsafeMutablePointer<Float>
    func backward(_ outputGradient: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>?
    /// Fresh random weights (Glorot uniform, zero biases).
    func initialize(random: inout RandomSource)
}

/// Modules applied one after another.
final class Sequential: Module {
    let modules: [any Module]

    init(_ modules: [any Module]) {
        precondition(!modules.isEmpty)
        for (a, b) in zip(modules, modules.dropFirst()) { precondition(a.outputCount == b.inputCount, "layer shapes do not chain") }
        self.modules = modules
    }

    var parameters: [Parameter] { modules.flatMap(\.parameters) }
    var inputCount: Int { modules[0].inputCount }
    var outputCount: Int { modules[modules.count - 1].outputCount }
    var flopsPerSample: Int { modules.reduce(0) { $0 + $1.flopsPerSample } }

    func initialize(random: inout RandomSource) {
        for module in modules { module.initialize(random: &random) }
    }

    func forward(_ input: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        var x = input
        var out: UnsafeMutablePointer<Float>!
        for module in modules {
            out = module.forward(x)
            x = UnsafePointer(out)
        }
        return out
    }

    func backward(_ outputGradient: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float>? {
        var g: UnsafeMutablePointer<Float>? = outputGradient
        for module in modules.reversed() {
            guard let current = g else { return nil }
            g = module.backward(current)
        }
        return g
    }
}

/// Runs `body(slice)` for `count` slices, on up to `threads` threads (slices touch disjoint memory).
func forEachSlice(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    if count <= 1 || threads <= 1 {
        for i in 0..<count { body(i) }
    } else {
        Parallel.forEach(count, body)
    }
}
