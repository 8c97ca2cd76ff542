import Face
import Imaging
import Stream

/// How deep a photo's eye sockets lie in its own light's shadow: the skin between each brow and eye against the
/// face's typical skin. Under a hard light from above or in front the sockets are dark (portrait_s2 and
/// portrait_s12 about 0.6 of the skin's brightness); under an even light they are nearly as bright as the skin
/// (the shipped astronaut 0.9). The merger relights that share of the sockets with the target's light
/// (``Relighting/socketContrast``): a shadow the mesh stretches over a target's high brows or lowered lids shows as
/// a grey blob, while an evenly lit face's sockets are its own modelling.
///
/// Measured once per photo, so the share does not change from frame to frame.
struct PhotoSocketShadow: Sendable, Equatable {
    /// Socket brightness over the skin's at and below which the sockets count as fully in shadow.
    var fullShadow: Float = 0.65
    /// Socket brightness over the skin's from which they count as lit.
    var noShadow: Float = 0.85
    /// Growth of the brow and eye outlines left out of the sockets, as a share of the face width (their lashes,
    /// the brow's soft edge).
    var featureMargin: Float = 0.02

    /// How a target's sockets taller than the photo's (their heights' ratio, ``height(_:)``) raise the share of a
    /// shadowed socket's detail the merger takes out (``SwappedFace/socketStretch``): the mesh stretches the shadow
    /// over a target's high brows or lowered lids into a grey blob (talk_woman_d10's are 1.45 and 1.6 times
    /// portrait_s2's and portrait_s12's over her frames, talk_studio_4's 1.4 and 1.5 looking down at frame 45;
    /// talk_may_5s's 1.0 and 1.1). On sockets of about the photo's height the
    /// shadow is kept as the power leaves it: there it is how a recogniser knows the face (docs/BENCHMARKS.md,
    /// "Session 47").
    var stretch = Ramp(from: 1.25, full: 1.5)

    /// The sockets' height on a face with these 468 landmarks: from each brow ring's centre to its eye's upper lid
    /// (the centre of the eye ring's upper points), averaged over both sides, as a share of the face oval's width;
    /// 0 for another count.
    static func height(_ points: [SIMD2<Float>]) -> Float {
        guard points.count == FaceMeshTopology.pointCount else { return 0 }
        func centre(_ ring: some Collection<Int>) -> SIMD2<Float> {
            ring.map { points[$0] }.reduce(.zero, +) / Float(ring.count)
        }
        var sum: Float = 0
        for (brow, eye) in [(FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.rightEye),
                            (FaceMeshTopology.leftEyebrowRing, FaceMeshTopology.leftEye)] {
            let d = centre(brow) - centre(eye[9...])
            sum += (d * d).sum().squareRoot()
        }
        return sum / 2 / max(FaceMeshTopology.ovalWidth(points), 1e-3)
    }

    /// 0 (the target's sockets no taller than the photo's by ``stretch``'s start) … 1, for sockets `height` high
    /// on the target and `photoHeight` on the photo (``height(_:)``).
    func stretch(height: Float, photoHeight: Float) -> Float {
        photoHeight > 0 ? stretch(height / photoHeight) : 0
    }

    /// 0 (sockets lit like the skin) … 1 (in full shadow); 0 when the face is too small to tell.
    func depth(of photo: RGBImage, landmarks points: [SIMD2<Float>]) -> Float {
        guard let ratio = brightness(of: photo, landmarks: points), noShadow > fullShadow else { return 0 }
        return Ramp(from: noShadow, full: fullShadow)(ratio)
    }

    /// The sockets' median luma over that of the rest of the face's skin; nil when either is too small.
    func brightness(of photo: RGBImage, landmarks points: [SIMD2<Float>]) -> Float? {
        guard let box = PhotoFaceBox(photo: photo, landmarks: points, margin: 0), box.faceWidth >= 16,
              box.width >= 8, box.height >= 8 else { return nil }
        let (w, h) = (box.width, box.height)
        let skin = box.oval
        let features = box.features(grownBy: featureMargin)
        var sockets = AlphaMask(width: w, height: h)
        for (brow, eye) in [(FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.rightEye),
                            (FaceMeshTopology.leftEyebrowRing, FaceMeshTopology.leftEye)] {
            PolygonRasterizer.fill(ConvexHull.of(box.points(brow) + box.points(eye)), into: &sockets)
        }
        // Luma histograms of the sockets' skin and of the rest (medians: the frames of glasses the photo's face wears
        // cross the sockets, thin and dark, and are not its light).
        var socket = LumaHistogram(), rest = LumaHistogram()
        photo.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    guard skin.values[i] > 0.5, features.values[i] < 0.5 else { continue }
                    let j = 3 * ((box.y0 + y) * photo.width + box.x0 + x)
                    let luma = YCbCr.luma(at: p.baseAddress! + j)
                    if sockets.values[i] > 0.5 { socket.add(luma) } else { rest.add(luma) }
                }
            }
        }
        guard socket.total >= 16, rest.total >= 64, let inSockets = socket.median, let elsewhere = rest.median
        else { return nil }
        return inSockets / elsewhere
    }
}
