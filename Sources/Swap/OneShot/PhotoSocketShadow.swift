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

    /// 0 (sockets lit like the skin) … 1 (in full shadow); 0 when the face is too small to tell.
    func depth(of photo: RGBImage, landmarks points: [SIMD2<Float>]) -> Float {
        guard let ratio = brightness(of: photo, landmarks: points), noShadow > fullShadow else { return 0 }
        let t = min(max((noShadow - ratio) / (noShadow - fullShadow), 0), 1)
        return t * t * (3 - 2 * t)
    }

    /// The sockets' median luma over that of the rest of the face's skin; nil when either is too small.
    func brightness(of photo: RGBImage, landmarks points: [SIMD2<Float>]) -> Float? {
        guard let box = PhotoFaceBox(photo: photo, landmarks: points, margin: 0), box.faceWidth >= 16,
              box.width >= 8, box.height >= 8 else { return nil }
        func local(_ ring: [Int]) -> [SIMD2<Float>] { ring.map { box.local[$0] } }
        let (w, h) = (box.width, box.height)
        let skin = PolygonRasterizer.fill(local(FaceMeshTopology.faceOval), width: w, height: h)
        let brows = [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing].map(local)
        let eyes = [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map(local)
        var features = AlphaMask(width: w, height: h)
        for ring in brows + eyes + [local(FaceMeshTopology.outerLips)] { PolygonRasterizer.fill(ring, into: &features) }
        features.erode(pixels: -max(1, Int((featureMargin * box.faceWidth).rounded())))
        var sockets = AlphaMask(width: w, height: h)
        for (brow, eye) in zip(brows, eyes) { PolygonRasterizer.fill(ConvexHull.of(brow + eye), into: &sockets) }
        // Luma histograms of the sockets' skin and of the rest (medians: the frames of glasses the photo's face wears
        // cross the sockets, thin and dark, and are not its light).
        var socket = [Float](repeating: 0, count: 256), rest = socket
        photo.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    guard skin.values[i] > 0.5, features.values[i] < 0.5 else { continue }
                    let j = 3 * ((box.y0 + y) * photo.width + box.x0 + x)
                    let luma = 0.299 * Float(p[j]) + 0.587 * Float(p[j + 1]) + 0.114 * Float(p[j + 2])
                    if sockets.values[i] > 0.5 {
                        socket[min(255, Int(luma))] += 1
                    } else {
                        rest[min(255, Int(luma))] += 1
                    }
                }
            }
        }
        guard socket.reduce(0, +) >= 16, rest.reduce(0, +) >= 64 else { return nil }
        return Self.median(socket) / Self.median(rest)
    }

    /// The median of a 256-bin histogram (bin centres, ≥ 0.5).
    private static func median(_ histogram: [Float]) -> Float {
        let total = histogram.reduce(0, +)
        var running: Float = 0, bin = 0
        while bin < 255 { running += histogram[bin]; if 2 * running >= total { break }; bin += 1 }
        return Float(bin) + 0.5
    }
}
