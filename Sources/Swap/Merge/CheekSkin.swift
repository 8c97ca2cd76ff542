import Face
import Imaging
import Stream

/// A face's typical skin, sampled on both cheeks (discs between the eyes' outer corners and the mouth's corners):
/// what hair, a hat or the background is told apart from.
struct CheekSkin: Sendable, Equatable {
    /// Median luma (mean of R, G, B), 0…255.
    var luma: Float
    /// Mean chroma, RGB ÷ luma.
    var chroma: SIMD3<Float>

    /// A cheek: the subject's right (on the image's left of a frontal face) or left.
    enum Side: CaseIterable {
        case right, left

        /// The eye's outer corner and the mouth's corner the cheek's disc lies between.
        var corners: (eye: Int, mouth: Int) {
            switch self {
            case .right: (FaceMeshTopology.rightEyeOuter, FaceMeshTopology.mouthRight)
            case .left: (FaceMeshTopology.leftEyeOuter, FaceMeshTopology.mouthLeft)
            }
        }
    }

    /// The `sides` cheeks of the face at `landmarks` (468 points, `image` pixels), discs of `radius` × `faceWidth`;
    /// nil when they hold nothing.
    init?(in image: RGBImage, landmarks: [SIMD2<Float>], faceWidth: Float, radius share: Float = 0.06,
          sides: [Side] = Side.allCases) {
        guard landmarks.count == FaceMeshTopology.pointCount else { return nil }
        let radius = share * faceWidth
        var lumas = [Float](), chroma = SIMD3<Float>.zero
        for (eye, mouth) in sides.map(\.corners) {
            let c = (landmarks[eye] + landmarks[mouth]) / 2
            let r = Int(radius.rounded(.up))
            for y in (Int(c.y) - r)...(Int(c.y) + r) where y >= 0 && y < image.height {
                for x in (Int(c.x) - r)...(Int(c.x) + r) where x >= 0 && x < image.width {
                    let d = SIMD2(Float(x), Float(y)) - c
                    guard (d * d).sum() <= radius * radius else { continue }
                    let p = image[x, y]
                    let rgb = SIMD3(Float(p.r), Float(p.g), Float(p.b))
                    let luma = rgb.sum() / 3
                    guard luma > 1 else { continue }
                    lumas.append(luma)
                    chroma += rgb / luma
                }
            }
        }
        guard !lumas.isEmpty else { return nil }
        lumas.sort()
        (self.luma, self.chroma) = (lumas[lumas.count / 2], chroma / Float(lumas.count))
    }
}
