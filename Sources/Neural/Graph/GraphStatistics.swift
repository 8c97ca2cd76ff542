extension Graph {
    /// Floating-point operations of one run (2 per multiply-accumulate of the convolutions and dense layers, which
    /// dominate; elementwise work is not counted).
    public var flopsPerRun: Int {
        nodes.reduce(0) { total, node in
            guard case .kernel(let k) = node.operation else { return total }
            switch k {
            case let c as Conv2D:
                let g = c.geometry
                return total + 2 * g.batch * g.outHeight * g.outWidth * g.kernelHeight * g.kernelWidth * c.inChannels * c.outChannels
            case let d as DepthwiseConv2D:
                let g = d.geometry
                return total + 2 * g.batch * g.outHeight * g.outWidth * g.kernelHeight * g.kernelWidth * d.channels
            case let f as FullyConnected:
                return total + 2 * f.rows * f.inFeatures * f.outFeatures
            default:
                return total
            }
        }
    }

    /// Kernels per type ("Conv2D", "DepthToSpace", …), after fusion.
    public var kernelCounts: [String: Int] {
        nodes.reduce(into: [:]) { counts, node in
            if case .kernel(let k) = node.operation { counts["\(type(of: k))", default: 0] += 1 }
        }
    }
}
