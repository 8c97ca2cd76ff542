import Foundation
import Stream
import Testing
@testable import Face
@testable import Imaging
@testable import Neural
import TestSupport

@Suite struct GeometryTests {
    @Test func similarityFitRecoversAKnownSimilarity() throws {
        let truth = AffineTransform2D(scale: 2.75, rotation: 0.6, translation: SIMD2(310, -42))
        let source = CanonicalFace.imageLayout
        let target = source.map { truth.apply($0) }
        let fit = try #require(SimilarityFit.fit(from: source, to: target))
        for (p, q) in zip(source, target) {
            #expect(simd_distance(fit.apply(p), q) < 1e-3)
        }
        #expect(abs(fit.scale - 2.75) < 1e-5)
    }

    @Test func similarityFitIsLeastSquaresUnderNoise() throws {
        var rng = SeededRandom(seed: 3)
        let truth = AffineTransform2D(scale: 0.5, rotation: -1.2, translation: SIMD2(12, 40))
        let source = CanonicalFace.imageLayout
        let target = source.map { truth.apply($0) + SIMD2(0.05 * rng.gaussian(), 0.05 * rng.gaussian()) }
        let fit = try #require(SimilarityFit.fit(from: source, to: target))
        func cost(_ m: AffineTransform2D) -> Float { zip(source, target).map { simd_distance_squared(m.apply($0), $1) }.reduce(0, +) }
        // Any nudge of the fitted parameters costs more.
        for nudge in [AffineTransform2D(translation: SIMD2(0.01, 0)), AffineTransform2D(scale: 1.001, rotation: 0.001, translation: .zero)] {
            #expect(cost(fit) < cost(fit.concatenating(nudge)))
        }
        #expect(SimilarityFit.fit(from: [SIMD2(1, 1), SIMD2(1, 1)], to: [SIMD2(0, 0), SIMD2(3, 3)]) == nil)
    }

    @Test func affineInverseAndTriangleMapping() throws {
        let m = AffineTransform2D(a: 1.3, b: -0.4, tx: 500, c: 0.25, d: 0.9, ty: -120)
        let inv = try #require(m.inverted())
        for p in [SIMD2<Float>(0, 0), SIMD2(1000, 700), SIMD2(-50, 333)] {
            #expect(simd_distance(inv.apply(m.apply(p)), p) < 1e-3)
        }
        let tri = (SIMD2<Float>(3, 4), SIMD2<Float>(40, 9), SIMD2<Float>(12, 55))
        let mapped = try #require(AffineTransform2D(mapping: tri, to: (m.apply(tri.0), m.apply(tri.1), m.apply(tri.2))))
        #expect(abs(mapped.a - m.a) < 1e-4 && abs(mapped.b - m.b) < 1e-4 && abs(mapped.ty - m.ty) < 1e-2)
        #expect(AffineTransform2D(mapping: (tri.0, tri.0, tri.1), to: tri) == nil)
    }

    @Test func warpRoundTripKeepsTheImage() throws {
        let image = TestImages.texture(width: 160, height: 120)
        // Rotate and enlarge into a bigger canvas, then map back.
        let forward = AffineTransform2D(scale: 1.4, rotation: 0.35, translation: SIMD2(90, 10))  // image → canvas
        let canvas = ImageWarper.warp(image, width: 330, height: 300, outputToSource: try #require(forward.inverted()))
        let back = ImageWarper.warp(canvas, width: 160, height: 120, outputToSource: forward)
        let psnr = TestImages.psnr(image, back) { x, y in x > 2 && y > 2 && x < 157 && y < 117 }
        #expect(psnr > 35, "round trip PSNR \(psnr) dB")
        // An integer translation is an exact copy.
        let shifted = ImageWarper.warp(image, width: 100, height: 80, outputToSource: AffineTransform2D(translation: SIMD2(30, 20)))
        #expect(shifted[0, 0] == image[30, 20] && shifted[99, 79] == image[129, 99])
    }

    @Test func polygonFillCoversTheArea() {
        let square = [SIMD2<Float>(10.25, 5), SIMD2(30.25, 5), SIMD2(30.25, 25), SIMD2(10.25, 25)]
        let mask = PolygonRasterizer.fill(square, width: 40, height: 40)
        #expect(abs(mask.values.reduce(0, +) - 400) < 0.01)
        #expect(mask[20, 15] == 1 && mask[5, 15] == 0)
        #expect(abs(mask[10, 15] - 0.25) < 1e-5)  // pixel 10 spans [9.5, 10.5]: 0.25 of it is inside
        let triangle = [SIMD2<Float>(0, 0), SIMD2(37, 3), SIMD2(11, 31)]
        let area: Float = 0.5 * abs(37 * 31 - 3 * 11)
        #expect(abs(PolygonRasterizer.fill(triangle, width: 40, height: 40).values.reduce(0, +) - area) < area * 0.01)
    }

    @Test func polygonDistanceIsZeroInsideAndToTheNearestEdgeOutside() {
        let square: [SIMD2<Float>] = [SIMD2(0, 0), SIMD2(10, 0), SIMD2(10, 10), SIMD2(0, 10)]
        #expect(Polygon.distance(square, SIMD2(5, 5)) == 0)
        #expect(abs(Polygon.distance(square, SIMD2(13, 5)) - 3) < 1e-5)
        #expect(abs(Polygon.distance(square, SIMD2(5, -2)) - 2) < 1e-5)
        // Past a corner: to the corner itself.
        #expect(abs(Polygon.distance(square, SIMD2(13, 14)) - 5) < 1e-5)
        #expect(Polygon.distance([], SIMD2(0, 0)) == .infinity)
    }

    @Test func blurKeepsMassAndErosionShrinks() {
        // Covers pixels 20…60 fully.
        var mask = PolygonRasterizer.fill([SIMD2(19.5, 19.5), SIMD2(60.5, 19.5), SIMD2(60.5, 60.5), SIMD2(19.5, 60.5)], width: 80, height: 80)
        let mass = mask.values.reduce(0, +)
        var blurred = mask
        blurred.gaussianBlur(sigma: 3)
        #expect(abs(blurred.values.reduce(0, +) - mass) < mass * 1e-3)
        #expect(blurred[40, 40] > 0.99 && blurred[20, 40] > 0.5 && blurred[19, 40] < 0.5 && blurred[10, 40] < 0.01)
        mask.erode(pixels: 3)
        #expect(mask[22, 40] == 0 && mask[23, 40] == 1 && mask[57, 57] == 1 && mask[58, 57] == 0)
        mask.erode(pixels: -5)
        #expect(mask[17, 40] == 0 && mask[18, 40] == 1)
    }

    @Test func boxBlurFollowsTheGaussian() {
        let square = PolygonRasterizer.fill([SIMD2(29.5, 24.5), SIMD2(70.5, 30.5), SIMD2(60.5, 75.5), SIMD2(25.5, 60.5)],
                                            width: 100, height: 90)
        for sigma: Float in [2.5, 6.25, 11] {
            var exact = square, boxes = square
            exact.exactGaussianBlur(sigma: sigma)
            boxes.boxGaussianBlur(sigma: sigma)
            let worst = zip(exact.values, boxes.values).map { abs($0 - $1) }.max()!
            #expect(worst < 0.03, "σ \(sigma): \(worst)")
        }
    }

    /// A mask of random values with a few full and empty blocks, odd sizes (not a multiple of any vector width).
    private func randomMask(width: Int, height: Int, seed: UInt64) -> AlphaMask {
        var generator = SeededRandom(seed: seed)
        var mask = AlphaMask(width: width, height: height)
        for i in mask.values.indices { mask.values[i] = Float.random(in: 0...1, using: &generator) }
        for y in 0..<height { for x in 0..<width {
            if (5..<15).contains(y), (3..<20).contains(x) { mask[x, y] = 1 }
            if (20..<30).contains(y), (10..<25).contains(x) { mask[x, y] = 0 }
        } }
        return mask
    }

    @Test func smallErosionsMatchTheRunningWindows() {
        for (w, h) in [(37, 41), (53, 29), (5, 3)] {
            let mask = randomMask(width: w, height: h, seed: UInt64(w * h))
            for pixels in [1, -1, 2, -2, 3, 5, -7, 12] {
                var direct = mask, running = mask
                direct.erode(pixels: pixels)
                running.runningWindowErode(pixels: pixels)
                #expect(direct.values == running.values, "\(w)×\(h), \(pixels) px")
            }
        }
    }

    @Test func exactBlurMatchesPlainKernelSums() {
        // Reference: the normalised kernel summed over the zero-padded window, rows then columns, in Double.
        func blurred(_ mask: AlphaMask, sigma: Float) -> [Double] {
            let (w, h) = (mask.width, mask.height), r = Int((3 * sigma).rounded(.up))
            let raw = (-r...r).map { exp(-Double($0 * $0) / (2 * Double(sigma) * Double(sigma))) }
            let kernel = raw.map { $0 / raw.reduce(0, +) }
            var rows = [Double](repeating: 0, count: w * h), out = rows
            for y in 0..<h { for x in 0..<w { for j in -r...r where (0..<w).contains(x + j) {
                rows[y * w + x] += kernel[j + r] * Double(mask.values[y * w + x + j])
            } } }
            for y in 0..<h { for x in 0..<w { for j in -r...r where (0..<h).contains(y + j) {
                out[y * w + x] += kernel[j + r] * rows[(y + j) * w + x]
            } } }
            return out
        }
        // Widths under one vector, between one and four, and past four with a tail.
        for (w, h) in [(5, 3), (7, 19), (13, 9), (40, 11), (71, 38)] {
            let mask = randomMask(width: w, height: h, seed: UInt64(3 * w + h))
            for sigma: Float in [0.6, 1.35, 2] {
                var fast = mask
                fast.exactGaussianBlur(sigma: sigma)
                let worst = zip(fast.values, blurred(mask, sigma: sigma)).map { abs(Double($0) - $1) }.max()!
                #expect(worst < 1e-5, "\(w)×\(h), σ \(sigma): \(worst)")
            }
        }
    }

    @Test func tiledBoxBlurMatchesPlainBoxSums() {
        // Reference: each pass a plain sum over the zero-padded window, rows then columns.
        func boxes(_ mask: AlphaMask, radii: [Int]) -> [Float] {
            let (w, h) = (mask.width, mask.height)
            var v = mask.values.map(Double.init)
            for r in radii {
                var out = v
                for y in 0..<h { for x in 0..<w {
                    out[y * w + x] = (max(0, x - r)...min(w - 1, x + r)).reduce(0) { $0 + v[y * w + $1] } / Double(2 * r + 1)
                } }
                v = out
            }
            for r in radii {
                var out = v
                for y in 0..<h { for x in 0..<w {
                    out[y * w + x] = (max(0, y - r)...min(h - 1, y + r)).reduce(0) { $0 + v[$1 * w + x] } / Double(2 * r + 1)
                } }
                v = out
            }
            return v.map { Float(min(max($0, 0), 1)) }
        }
        for (w, h) in [(37, 41), (70, 23), (16, 33)] {
            let mask = randomMask(width: w, height: h, seed: UInt64(w + h))
            for sigma: Float in [2.5, 6.25, 11] {
                var tiled = mask
                tiled.boxGaussianBlur(sigma: sigma)
                let reference = boxes(mask, radii: AlphaMask.boxRadii(sigma: sigma))
                let worst = zip(tiled.values, reference).map { abs($0 - $1) }.max()!
                #expect(worst < 1e-5, "\(w)×\(h), σ \(sigma): \(worst)")
            }
        }
    }
}

@Suite struct DelaunayTests {
    static let layout = CanonicalFace.imageLayout

    @Test func canonicalTriangulationIsDelaunay() {
        let pts = Self.layout
        let tris = Delaunay.triangulate(pts)
        // Euler: a triangulation of n points with h on the convex hull has 2n − 2 − h triangles.
        let h = convexHullCount(pts)
        #expect(tris.count == 2 * pts.count - 2 - h)
        // Every triangle is positively oriented and its circumcircle holds no other point.
        var flipped = 0
        var violations: [String] = []
        for t in tris {
            let (a, b, c) = (SIMD2<Double>(pts[t.x]), SIMD2<Double>(pts[t.y]), SIMD2<Double>(pts[t.z]))
            let cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
            if cross <= 0 { flipped += 1 }
            for (i, p) in pts.enumerated() where i != t.x && i != t.y && i != t.z && inCircle(a, b, c, SIMD2<Double>(p)) > 1e-9 {
                violations.append("point \(i) inside circumcircle of \(t)")
            }
        }
        #expect(flipped == 0)
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        // Each interior edge is shared by exactly two triangles, hull edges by one.
        var edgeUse: [SIMD2<Int>: Int] = [:]
        for t in tris { for (u, v) in [(t.x, t.y), (t.y, t.z), (t.z, t.x)] { edgeUse[SIMD2(min(u, v), max(u, v)), default: 0] += 1 } }
        #expect(edgeUse.values.filter { $0 == 1 }.count == h)
        #expect(edgeUse.values.allSatisfy { $0 <= 2 })
    }

    @Test func keptEyeReachesOverTheUpperLashes() {
        let eyes = [(FaceMeshTopology.rightEye, FaceMeshTopology.rightEyeUpperCrease),
                    (FaceMeshTopology.leftEye, FaceMeshTopology.leftEyeUpperCrease)]
        for (ring, crease) in eyes {
            let eye = FaceMeshTopology.eyeWithLashes(ring, crease: crease, on: Self.layout, reach: 0.5)
            let lids = ring.map { Self.layout[$0] }
            // Corners and the lower lid stay.
            #expect(Array(eye[0...8]) == Array(lids[0...8]))
            for k in 0..<7 {
                let (lid, fold) = (lids[9 + k], Self.layout[crease[k]])
                #expect(simd_distance(eye[9 + k], (lid + fold) / 2) < 1e-5)
                // Each crease point lies above its lid point (image layout, y down), and both run the same way.
                #expect(fold.y < lid.y)
                if k < 6 { #expect((Self.layout[crease[k + 1]].x - fold.x) * (lids[10 + k].x - lid.x) > 0) }
            }
        }
    }

    @Test func faceMeshLeavesEyesAndMouthOpen() {
        let tris = FaceMeshTriangulation.triangles
        #expect(tris.count > 700)
        for hole in FaceMeshTriangulation.holes {
            let polygon = hole.map { Self.layout[$0] }
            let ring = Set(hole)
            let inside = tris.filter { t in
                let centroid = (Self.layout[t.x] + Self.layout[t.y] + Self.layout[t.z]) / 3
                return Polygon.contains(polygon, centroid) || ring.contains(t.x) && ring.contains(t.y) && ring.contains(t.z)
            }
            #expect(inside.isEmpty)
            // The hole's centre is covered by no triangle.
            let centre = polygon.reduce(.zero, +) / Float(polygon.count)
            #expect(!tris.contains { contains(triangle: $0, centre) })
        }
        // The nose tip and cheeks are covered.
        for i in [1, 50, 280] {
            let p = Self.layout[i] + SIMD2(0.01, 0.01)
            #expect(tris.contains { contains(triangle: $0, p) })
        }
    }

    func contains(triangle t: SIMD3<Int>, _ p: SIMD2<Float>) -> Bool {
        Polygon.contains([Self.layout[t.x], Self.layout[t.y], Self.layout[t.z]], p)
    }

    /// > 0 when `d` is strictly inside the circumcircle of the positively oriented triangle abc (y-down frame).
    func inCircle(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>, _ d: SIMD2<Double>) -> Double {
        let (ax, ay) = (a.x - d.x, a.y - d.y), (bx, by) = (b.x - d.x, b.y - d.y), (cx, cy) = (c.x - d.x, c.y - d.y)
        let det = (ax * ax + ay * ay) * (bx * cy - cx * by) - (bx * bx + by * by) * (ax * cy - cx * ay)
            + (cx * cx + cy * cy) * (ax * by - bx * ay)
        let scale = ax * ax + ay * ay + bx * bx + by * by + cx * cx + cy * cy
        return det / (scale * scale)
    }

    /// Points on the convex hull (monotone chain, collinear points excluded).
    func convexHullCount(_ points: [SIMD2<Float>]) -> Int {
        let p = points.map { SIMD2<Double>($0) }.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        func cross(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var hull: [SIMD2<Double>] = []
        for pass in 0..<2 {
            let start = hull.count
            for q in pass == 0 ? p : p.reversed() {
                while hull.count >= start + 2 && cross(hull[hull.count - 2], hull[hull.count - 1], q) <= 0 { hull.removeLast() }
                hull.append(q)
            }
            hull.removeLast()
        }
        return hull.count
    }
}

@Suite struct BilateralFilterTests {
    /// The photo's edge-preserving pass: ±4-level noise fades, a 140-level edge stays where it was.
    @Test func bilateralFilterSmoothsNoiseAndKeepsEdges() {
        var image = RGBImage(width: 40, height: 20)
        func noise(_ x: Int, _ y: Int) -> Int { (x * 7 + y * 13) % 9 - 4 }
        for y in 0..<20 {
            for x in 0..<40 {
                let v = UInt8((x < 20 ? 60 : 200) + noise(x, y))
                image[x, y] = (v, v, v)
            }
        }
        let out = image.bilateralFiltered(radius: 2, spatialSigma: 1.5, rangeSigma: 6)
        func deviation(_ img: RGBImage) -> Double {
            var sum = 0.0, n = 0.0
            for y in 2..<18 { for x in 2..<17 { sum += abs(Double(img[x, y].g) - 60); n += 1 } }
            return sum / n
        }
        #expect(deviation(out) < 0.5 * deviation(image))
        for y in 0..<20 {
            #expect(out[19, y].g < 70 && out[20, y].g > 190)
        }
    }
}

/// The mesh's left–right pairing.
@Suite struct FaceMeshMirrorTests {
    @Test func mirroringPairsTheSidesAndKeepsTheMidline() {
        let m = FaceMeshTopology.mirrored
        #expect(m.count == FaceMeshTopology.pointCount)
        #expect(m.indices.allSatisfy { m[m[$0]] == $0 }, "not an involution")
        #expect(m[FaceMeshTopology.noseTip] == FaceMeshTopology.noseTip)
        #expect(m[FaceMeshTopology.rightEyeOuter] == FaceMeshTopology.leftEyeOuter)
        #expect(m[FaceMeshTopology.mouthRight] == FaceMeshTopology.mouthLeft)
        #expect(Set(FaceMeshTopology.rightEye.map { m[$0] }) == Set(FaceMeshTopology.leftEye))
        // The smile's folds are each other's mirror images, point for point.
        #expect(FaceMeshTopology.smileFolds[0].map { m[$0] } == FaceMeshTopology.smileFolds[1])
    }
}
