/// An ``AlphaMask`` over part of a frame: mask pixel (x, y) is frame pixel (origin.x + x, origin.y + y); the frame
/// is 0 everywhere else. Keeps masks of small things (a hand) from costing a whole frame.
public struct PlacedMask: Sendable, Equatable {
    /// Frame pixel of the mask's pixel (0, 0).
    public var origin: SIMD2<Int>
    public var mask: AlphaMask

    public init(origin: SIMD2<Int>, mask: AlphaMask) {
        self.origin = origin
        self.mask = mask
    }

    /// The frame pixels covered, as a box (pixel centres at integer coordinates).
    public var frameBox: BoundingBox {
        BoundingBox(x: Float(origin.x), y: Float(origin.y), width: Float(mask.width - 1), height: Float(mask.height - 1))
    }

    /// The value at frame pixel (`x`, `y`), 0 outside.
    @inlinable public subscript(x: Int, y: Int) -> Float {
        let i = x - origin.x, j = y - origin.y
        return i >= 0 && j >= 0 && i < mask.width && j < mask.height ? mask.values[j * mask.width + i] : 0
    }

    /// The value at frame point `p`, bilinear between pixel centres, 0 outside.
    @inlinable public func value(at p: SIMD2<Float>) -> Float {
        let x = p.x - Float(origin.x), y = p.y - Float(origin.y)
        guard x > -1, y > -1, x < Float(mask.width), y < Float(mask.height) else { return 0 }
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let tx = x - fx, ty = y - fy
        let x0 = Int(fx), y0 = Int(fy)
        @inline(__always) func at(_ i: Int, _ j: Int) -> Float {
            i >= 0 && j >= 0 && i < mask.width && j < mask.height ? mask.values[j * mask.width + i] : 0
        }
        let top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * tx
        let bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * tx
        return top + (bottom - top) * ty
    }
}

extension AlphaMask {
    /// Multiplies by `1 − occluder` where this mask's pixel (x, y) lies at frame point `toFrame.apply((x, y))`: what
    /// the occluder covers is cut out, so it stays in front of whatever this mask pastes. Only the pixels whose frame
    /// point can fall on the occluder are visited.
    public mutating func cutOut(_ occluder: PlacedMask, toFrame: AffineTransform2D) {
        guard let toMask = toFrame.inverted() else { return }
        let box = occluder.frameBox
        let reach = toMask.boundingBox(ofX: (box.x - 1)...(box.x + box.width + 1), y: (box.y - 1)...(box.y + box.height + 1))
        guard let pixels = reach.pixelRanges(width: width, height: height) else { return }
        for y in pixels.y {
            for x in pixels.x {
                let a = occluder.value(at: toFrame.apply(SIMD2(Float(x), Float(y))))
                if a > 0 { values[y * width + x] *= 1 - min(a, 1) }
            }
        }
    }
}
