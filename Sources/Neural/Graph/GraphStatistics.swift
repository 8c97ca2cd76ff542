extension Graph {
    /// Floating-point operations of one run (2 per multiply-accumulate of the convolutions and dense layers, which
    /// dominate; elementwise work is not counted).
    public var flopsPerRun: Int {
        nodes.reduce(0) { total, node in
            guard case .kernel(let k) = node.operation else { return total }
            switch k {
            case let c as Conv2D: return total + Self.flops(c)
            case let d as DepthwiseConv2D: return total + Self.flops(d)
            case let e as ExpandedDepthwiseConv2D: return total + Self.flops(e.expand) + Self.flops(e.depthwise)
            case let f as FullyConnected: return total + 2 * f.rows * f.inFeatures * f.outFeatures
            default: return total
            }
        }
    }

    private static func flops(_ c: Conv2D) -> Int {
        let g = c.geometry
        return 2 * g.batch * g.outHeight * g.outWidth * g.kernelHeight * g.kernelWidth * c.inChannels * c.outChannels
    }

    private static func flops(_ d: DepthwiseConv2D) -> Int {
        let g = d.geometry
        return 2 * g.batch * g.outHeight * g.outWidth * g.kernelHeight * g.kernelWidth * d.channels
    }

    /// Kernels per type ("Conv2D", "DepthToSpace", …), after fusion.
    public var kernelCounts: [String: Int] {
        nodes.reduce(into: [:]) { counts, node in
            if case .kernel(let k) = node.operation { counts["\(type(of: k))", default: 0] += 1 }
        }
    }
}
