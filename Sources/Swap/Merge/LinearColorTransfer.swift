import Foundation
import Imaging
import Stream

/// Linear colour transfer: `x' = Ct^½ · Cs^-½ · (x − μs) + μt` in RGB, with symmetric (PCA) square roots, so the
/// recoloured pixels under the mask get the reference's mean and covariance.
enum LinearColorTransfer {
    static func apply(to image: inout RGBImage, reference: RGBImage, mask: AlphaMask) {
        var source = WeightedMoments(), target = WeightedMoments()
        image.pixels.withUnsafeBufferPointer { src in
            reference.pixels.withUnsafeBufferPointer { ref in
                forEachMasked(mask, above: ColorTransfer.statisticsThreshold) { i, w in
                    source.add(SIMD3(Float(src[3 * i]), Float(src[3 * i + 1]), Float(src[3 * i + 2])), weight: w, full: true)
                    target.add(SIMD3(Float(ref[3 * i]), Float(ref[3 * i + 1]), Float(ref[3 * i + 2])), weight: w, full: true)
                }
            }
        }
        guard source.weight > 0 else { return }
        let ridge = 1e-2  // keeps flat (single-colour) patches invertible
        let m = SymmetricMatrix3.product(
            SymmetricMatrix3.power(target.covariance, 0.5, ridge: ridge),
            SymmetricMatrix3.power(source.covariance, -0.5, ridge: ridge)
        ).map(Float.init)
        let rows = (SIMD3(m[0], m[1], m[2]), SIMD3(m[3], m[4], m[5]), SIMD3(m[6], m[7], m[8]))
        let ms = SIMD3<Float>(source.mean), mt = SIMD3<Float>(target.mean)
        image.pixels.withUnsafeMutableBufferPointer { dst in
            forEachMasked(mask, above: ColorTransfer.recolourThreshold) { i, _ in
                let d = SIMD3(Float(dst[3 * i]), Float(dst[3 * i + 1]), Float(dst[3 * i + 2])) - ms
                let c = (SIMD3((rows.0 * d).sum(), (rows.1 * d).sum(), (rows.2 * d).sum()) + mt + 0.5)
                    .clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                dst[3 * i] = UInt8(c.x)
                dst[3 * i + 1] = UInt8(c.y)
                dst[3 * i + 2] = UInt8(c.z)
            }
        }
    }
}

/// 3×3 symmetric matrices (row-major `[Double]`), via Jacobi eigen-decomposition.
enum SymmetricMatrix3 {
    /// `A^p` for symmetric positive semi-definite `A` (+ `ridge`·I).
    static func power(_ a: [Double], _ p: Double, ridge: Double) -> [Double] {
        var m = a
        for i in 0..<3 { m[4 * i] += ridge }
        let (values, vectors) = eigen(m)
        var out = [Double](repeating: 0, count: 9)
        for k in 0..<3 {
            let s = pow(max(values[k], ridge), p)
            for i in 0..<3 { for j in 0..<3 { out[3 * i + j] += s * vectors[3 * i + k] * vectors[3 * j + k] } }
        }
        return out
    }

    static func product(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                for k in 0..<3 { out[3 * i + j] += a[3 * i + k] * b[3 * k + j] }
            }
        }
        return out
    }

    /// Eigenvalues and eigenvectors (columns of the row-major matrix) by cyclic Jacobi rotations.
    static func eigen(_ a: [Double]) -> (values: [Double], vectors: [Double]) {
        var m = a
        var v: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        for _ in 0..<50 {
            let off = m[1] * m[1] + m[2] * m[2] + m[5] * m[5]
            if off < 1e-20 { break }
            for (p, q) in [(0, 1), (0, 2), (1, 2)] where abs(m[3 * p + q]) > 1e-30 {
                let theta = (m[3 * q + q] - m[3 * p + p]) / (2 * m[3 * p + q])
                let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<3 {  // m ← m·J
                    let mkp = m[3 * k + p], mkq = m[3 * k + q]
                    m[3 * k + p] = c * mkp - s * mkq
                    m[3 * k + q] = s * mkp + c * mkq
                }
                for k in 0..<3 {  // m ← Jᵀ·m
                    let mpk = m[3 * p + k], mqk = m[3 * q + k]
                    m[3 * p + k] = c * mpk - s * mqk
                    m[3 * q + k] = s * mpk + c * mqk
                }
                for k in 0..<3 {
                    let vkp = v[3 * k + p], vkq = v[3 * k + q]
                    v[3 * k + p] = c * vkp - s * vkq
                    v[3 * k + q] = s * vkp + c * vkq
                }
            }
        }
        return ([m[0], m[4], m[8]], v)
    }
}
