import Face
import Imaging
import Stream
import Testing
@testable import Swap

@Suite struct PhotoMirrorTests {
    /// The astronaut's face across the cheeks: the midline's place and unit direction from her right cheek to her left.
    struct Across {
        let right: SIMD2<Float>, axis: SIMD2<Float>, midline: Float, width: Float

        init(_ points: [SIMD2<Float>]) {
            right = points[FaceMeshTopology.rightCheek]
            let span = points[FaceMeshTopology.leftCheek] - right
            width = (span * span).sum().squareRoot()
            axis = span / width
            let centre = PhotoMirror.midline.map { points[$0] }.reduce(.zero, +) / Float(PhotoMirror.midline.count)
            midline = ((centre - right) * axis).sum()
        }

        /// Where `p` lies across the face: −1 at the right cheek, 0 on the midline, 1 at the left cheek.
        func lateral(_ p: SIMD2<Float>) -> Float {
            let u = ((p - right) * axis).sum() - midline
            return u < 0 ? u / midline : u / (width - midline)
        }
    }

    /// The astronaut as if turned: her right side (the viewer's left) squeezed towards the midline until it holds
    /// `share` of the face's width, the photo warped to match, and where `darkened` holds (by default the outer half
    /// of that side) darkened to a third (the shadow a face turned from the light falls into, hair at its edge).
    static func turned(share: Float, darkened: (_ lateral: Float, _ point: SIMD2<Float>, _ landmarks: [SIMD2<Float>]) -> Bool
                       = { lateral, _, _ in lateral < -0.5 }) -> (image: RGBImage, landmarks: FaceLandmarks) {
        let points = AstronautPhoto.landmarks.points2D
        let across = Across(points)
        let squeeze = share * (across.width - across.midline) / (1 - share) / across.midline
        let moved = points.map { p -> SIMD2<Float> in
            let u = ((p - across.right) * across.axis).sum() - across.midline
            return u < 0 ? p + (squeeze - 1) * u * across.axis : p
        }
        var image = AstronautPhoto.image
        TriangleWarp.warp(AstronautPhoto.image, sourcePoints: points, triangles: FaceMeshTriangulation.triangles,
                          targetPoints: moved, into: &image,
                          clip: AlphaMask(width: image.width, height: image.height, value: 1))
        let oval = PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { moved[$0] }, width: image.width,
                                          height: image.height)
        let turnedAcross = Across(moved)
        for y in 0..<image.height {
            for x in 0..<image.width where oval[x, y] > 0.5 {
                let p = SIMD2(Float(x), Float(y))
                guard darkened(turnedAcross.lateral(p), p, moved) else { continue }
                let pixel = image[x, y]
                image[x, y] = (pixel.r / 3, pixel.g / 3, pixel.b / 3)
            }
        }
        var landmarks = AstronautPhoto.landmarks
        for i in landmarks.points.indices { (landmarks.points[i].x, landmarks.points[i].y) = (moved[i].x, moved[i].y) }
        return (image, landmarks)
    }

    @Test func aFrontalPhotoIsNotMirroredATurnedOnesStretchedSideIs() throws {
        let points = AstronautPhoto.landmarks.points2D
        let own = try #require(PhotoMirror.rightShare(points))
        #expect(abs(own - 0.5) < 0.05, "the astronaut's right side holds \(own) of her face")
        let mirror = PhotoMirror()
        let frontal = mirror.sideWeights(photoRightShare: own, target: points)
        #expect(frontal.right == .none && frontal.left == .none)
        let turned = Self.turned(share: 0.3)
        let share = try #require(PhotoMirror.rightShare(turned.landmarks.points2D))
        #expect(abs(share - 0.3) < 0.02, "squeezed to \(share)")
        // The turned photo onto the frontal face: its right side stretched 1.6×, mirrored in full; the left side,
        // squeezed, is its own.
        let weights = mirror.sideWeights(photoRightShare: share, target: points)
        #expect(weights.right == PhotoMirror.SideShare(outer: 1, noseWall: 1) && weights.left == .none)
        // Onto a face turned the same way: nothing stretched, nothing mirrored.
        let same = mirror.sideWeights(photoRightShare: share, target: turned.landmarks.points2D)
        #expect(same.right == .none && same.left == .none)
        // The outer part of the side and the band beside the nose: the midline, the eye and the mouth stay the photo's.
        let image = AstronautPhoto.image
        let blend = try #require(mirror.blend(weights, points: points, width: image.width, height: image.height))
        let across = Across(points)
        func at(_ p: SIMD2<Float>) -> Float { blend[Int(p.x.rounded()), Int(p.y.rounded())] }
        let eye = FaceMeshTopology.rightEye.map { points[$0] }.reduce(.zero, +) / Float(FaceMeshTopology.rightEye.count)
        let nose = points[FaceMeshTopology.noseTip], cheek = points[FaceMeshTopology.rightCheek] * 0.8 + nose * 0.2
        let bridge = points[FaceMeshTopology.noseBridge], corner = points[FaceMeshTopology.mouthRight]
        #expect(at(bridge) < 0.1, "the nose's bridge (at \(across.lateral(bridge))) takes \(at(bridge))")
        #expect(at(points[FaceMeshTopology.leftCheek] * 0.8 + nose * 0.2) == 0)
        #expect(at(cheek) == 1, "the outer right cheek (at \(across.lateral(cheek))) takes the mirror")
        #expect(at(eye) < 0.5, "the right eye (at \(across.lateral(eye))) takes \(at(eye))")
        let wall = nose * 0.3 + points[FaceMeshTopology.rightEyeInner] * 0.7
        #expect(at(wall) > 0.8, "the nose's right side wall (at \(across.lateral(wall))) takes \(at(wall))")
        #expect(at(corner) < 0.5, "the mouth's right corner (at \(across.lateral(corner))) takes \(at(corner))")
    }

    /// A photo turned a little (its right side 40 % of the face) onto the astronaut (48 %), its nose's right side
    /// wall in shadow: stretched 1.2×, hardly enough for the cheek to be mirrored, but the wall, foreshortened far
    /// more, came out as a dark streak beside the new nose.
    @Test func aTurnedPhotosShadowedNoseWallIsNotStretchedBesideTheNewNose() throws {
        let noseBase = PhotoMirror.noseBase, eyeInner = FaceMeshTopology.rightEyeInner
        let turned = Self.turned(share: 0.4) { lateral, p, points in
            lateral > -0.3 && lateral < -0.04 && p.y > points[eyeInner].y && p.y < points[noseBase].y
        }
        let input = FaceSwapInput(frame: AstronautPhoto.image, landmarks: AstronautPhoto.landmarks)
        let mirror = PhotoMirror()
        let weights = mirror.sideWeights(photoRightShare: try #require(PhotoMirror.rightShare(turned.landmarks.points2D)),
                                         target: AstronautPhoto.landmarks.points2D)
        #expect(weights.right.outer < 0.1 && weights.right.noseWall > 0.8, "\(weights.right)")
        func wallLevel(mirror strength: Float) throws -> Float {
            var options = MeshSwapper.Options()
            options.mirror.strength = strength
            let swapper = try MeshSwapper(source: turned.image, sourceLandmarks: turned.landmarks, options: options)
            let swap = try #require(try swapper.swap(input))
            // The target's right nose wall against the same band on the left, between the eye and the nose's base.
            let local = AstronautPhoto.landmarks.points2D.map { swap.toFrame.inverted()!.apply($0) }
            let across = Across(local)
            var wall: [Float] = [], reference: [Float] = []
            for y in Int(local[eyeInner].y.rounded(.up))..<Int(local[noseBase].y) {
                for x in 0..<swap.image.width where (swap.mask?[x, y] ?? 1) > 0.95 {
                    let l = across.lateral(SIMD2(Float(x), Float(y)))
                    let p = swap.image[x, y]
                    let value = (Float(p.r) + Float(p.g) + Float(p.b)) / 3
                    if l < -0.08 && l > -0.25 { wall.append(value) }
                    if l > 0.08 && l < 0.25 { reference.append(value) }
                }
            }
            try #require(wall.count > 50 && reference.count > 50, "\(wall.count), \(reference.count) pixels")
            return (wall.reduce(0, +) / Float(wall.count)) / (reference.reduce(0, +) / Float(reference.count))
        }
        let stretched = try wallLevel(mirror: 0), mirrored = try wallLevel(mirror: 1)
        #expect(stretched < 0.5, "without the mirror the wall is at \(stretched) of the other side's")
        #expect(mirrored > 0.75, "with it at \(mirrored)")
    }

    @Test func aTurnedPhotosDarkSideIsNotStretchedOverTheTargetsCheek() throws {
        let turned = Self.turned(share: 0.3)
        let input = FaceSwapInput(frame: AstronautPhoto.image, landmarks: AstronautPhoto.landmarks)
        func darkShare(mirror strength: Float) throws -> Float {
            var options = MeshSwapper.Options()
            options.mirror.strength = strength
            let swapper = try MeshSwapper(source: turned.image, sourceLandmarks: turned.landmarks, options: options)
            let swap = try #require(try swapper.swap(input))
            // The target's outer right cheek, between eye and mouth level, against her skin's level on the left.
            let points = AstronautPhoto.landmarks.points2D
            let local = points.map { swap.toFrame.inverted()!.apply($0) }
            let across = Across(local)
            let (top, bottom) = (local[FaceMeshTopology.rightEye[12]].y, local[FaceMeshTopology.mouthRight].y)
            var luma: [Float] = [], reference: [Float] = []
            for y in Int(top)...Int(bottom) {
                for x in 0..<swap.image.width {
                    let l = across.lateral(SIMD2(Float(x), Float(y)))
                    guard (swap.mask?[x, y] ?? 1) > 0.95 else { continue }
                    let p = swap.image[x, y]
                    let value = (Float(p.r) + Float(p.g) + Float(p.b)) / 3
                    if l < -0.75 && l > -0.95 { luma.append(value) }
                    if l > 0.75 && l < 0.95 { reference.append(value) }
                }
            }
            try #require(luma.count > 50 && reference.count > 50, "\(luma.count), \(reference.count) pixels")
            let level = reference.sorted()[reference.count / 2]
            return Float(luma.filter { $0 < 0.6 * level }.count) / Float(luma.count)
        }
        let stretched = try darkShare(mirror: 0), mirrored = try darkShare(mirror: 1)
        #expect(stretched > 0.2, "without the mirror \(stretched) of the cheek is dark")
        #expect(mirrored < 0.05, "with it \(mirrored)")
    }
}
