import Foundation

/// A 2×3 affine map of the plane: `x' = a·x + b·y + tx`, `y' = c·x + d·y + ty`.
///
/// The one transform type of the face stages (ROI crops, alignment, mesh triangles, paste-back). Coordinates are
/// pixel-centre coordinates: pixel (i, j) sits at (i, j), as in OpenCV's `warpAffine`.
public struct AffineTransform2D: Sendable, Equatable {
    public var a: Float, b: Float, tx: Float
    public var c: Float, d: Float, ty: Float

    public init(a: Float, b: Float, tx: Float, c: Float, d: Float, ty: Float) {
        (self.a, self.b, self.tx, self.c, self.d, self.ty) = (a, b, tx, c, d, ty)
    }

    /// The identity map.
    public static let identity = AffineTransform2D(a: 1, b: 0, tx: 0, c: 0, d: 1, ty: 0)

    /// A pure translation.
    public init(translation t: SIMD2<Float>) {
        self.init(a: 1, b: 0, tx: t.x, c: 0, d: 1, ty: t.y)
    }

    /// A similarity: rotate by `rotation` radians, scale by `scale`, then translate.
    public init(scale: Float, rotation: Float, translation t: SIMD2<Float>) {
        let cs = scale * cos(rotation), sn = scale * sin(rotation)
        self.init(a: cs, b: -sn, tx: t.x, c: sn, d: cs, ty: t.y)
    }

    /// The unique affine map taking the triangle `from` onto `to` (nil when `from` is degenerate).
    public init?(mapping from: (SIMD2<Float>, SIMD2<Float>, SIMD2<Float>), to: (SIMD2<Float>, SIMD2<Float>, SIMD2<Float>)) {
        // Solve in Double around the first vertex: small, well-conditioned differences.
        let u1 = SIMD2<Double>(from.1 - from.0), u2 = SIMD2<Double>(from.2 - from.0)
        let v1 = SIMD2<Double>(to.1 - to.0), v2 = SIMD2<Double>(to.2 - to.0)
        let det = u1.x * u2.y - u2.x * u1.y
        guard abs(det) > 1e-12 else { return nil }
        // M·[u1 u2] = [v1 v2]  ⇒  M = [v1 v2]·[u1 u2]⁻¹
        let i00 = u2.y / det, i01 = -u2.x / det, i10 = -u1.y / det, i11 = u1.x / det
        let a = v1.x * i00 + v2.x * i10, b = v1.x * i01 + v2.x * i11
        let c = v1.y * i00 + v2.y * i10, d = v1.y * i01 + v2.y * i11
        let p = SIMD2<Double>(from.0), q = SIMD2<Double>(to.0)
        self.init(
            a: Float(a), b: Float(b), tx: Float(q.x - a * p.x - b * p.y),
            c: Float(c), d: Float(d), ty: Float(q.y - c * p.x - d * p.y)
        )
    }

    /// Maps a point.
    @inlinable public func apply(_ p: SIMD2<Float>) -> SIMD2<Float> {
        SIMD2(a * p.x + b * p.y + tx, c * p.x + d * p.y + ty)
    }

    /// Maps a direction (no translation).
    @inlinable public func applyLinear(_ v: SIMD2<Float>) -> SIMD2<Float> {
        SIMD2(a * v.x + b * v.y, c * v.x + d * v.y)
    }

    /// Determinant of the linear part (area scale; negative when the map mirrors).
    public var determinant: Float { a * d - b * c }

    /// The mean linear scale, √|det|.
    public var scale: Float { abs(determinant).squareRoot() }

    /// The exact inverse (computed in Double), or nil when the map is singular.
    public func inverted() -> AffineTransform2D? {
        let (a, b, c, d) = (Double(self.a), Double(self.b), Double(self.c), Double(self.d))
        let det = a * d - b * c
        guard abs(det) > 1e-20 else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        let tx = Double(self.tx), ty = Double(self.ty)
        return AffineTransform2D(
            a: Float(ia), b: Float(ib), tx: Float(-(ia * tx + ib * ty)),
            c: Float(ic), d: Float(id), ty: Float(-(ic * tx + id * ty))
        )
    }

    /// `self` followed by `next`: `next.apply(self.apply(p))`.
    public func concatenating(_ next: AffineTransform2D) -> AffineTransform2D {
        AffineTransform2D(
            a: next.a * a + next.b * c, b: next.a * b + next.b * d, tx: next.a * tx + next.b * ty + next.tx,
            c: next.c * a + next.d * c, d: next.c * b + next.d * d, ty: next.c * tx + next.d * ty + next.ty
        )
    }

    /// The axis-aligned box around the image of the rectangle `[x0, x1] × [y0, y1]`.
    public func boundingBox(ofX x: ClosedRange<Float>, y: ClosedRange<Float>) -> BoundingBox {
        BoundingBox(bounding: [
            apply(SIMD2(x.lowerBound, y.lowerBound)), apply(SIMD2(x.upperBound, y.lowerBound)),
            apply(SIMD2(x.upperBound, y.upperBound)), apply(SIMD2(x.lowerBound, y.upperBound)),
        ])
    }

    /// The offset when this is a pure translation by whole pixels (frame-aligned swap boxes), else nil.
    public var integerTranslation: SIMD2<Int>? {
        guard a == 1, b == 0, c == 0, d == 1, tx == tx.rounded(), ty == ty.rounded(),
              abs(tx) < 1e9, abs(ty) < 1e9 else { return nil }
        return SIMD2(Int(tx), Int(ty))
    }

    /// Whether this only scales each axis (by a positive factor) and moves: no rotation, shear or mirroring.
    public var isAxisAligned: Bool { b == 0 && c == 0 && a > 0 && d > 0 }

    /// Whether this maps a box onto a larger one without rotation, shear or mirroring (each axis scaled by more
    /// than 1, e.g. a swap box smaller than the frame's onto the frame), which an area average samples well.
    public var isAxisAlignedShrink: Bool { isAxisAligned && a > 1 && d > 1 }
}
