import Face
import Imaging
import Stream

extension HairOcclusion {
    /// How unlike the target's skin a pixel is: far darker than the nearer cheek's, or of another colour. Each side of
    /// the face is judged against its own cheek, so the shadow of a side light is skin; between a quarter eye
    /// distance either side of the face's middle the two cheeks mix.
    struct SkinContrast {
        /// The subject's right and left cheeks' skin.
        let right: CheekSkin, left: CheekSkin
        /// Position across the face in eye distances (``EyeAxis``), linear in x and y: at (0, 0) and per pixel.
        let origin: Float, perX: Float, perY: Float
        let darkness: Float, chromaDistance: Float, softness: Float

        /// Nil without a cheek to sample or an eye axis.
        init?(in image: RGBImage, points: [SIMD2<Float>], faceWidth: Float, hair: HairOcclusion) {
            guard let axis = EyeAxis(points),
                  var right = CheekSkin(in: image, landmarks: points, faceWidth: faceWidth, sides: [.right]),
                  var left = CheekSkin(in: image, landmarks: points, faceWidth: faceWidth, sides: [.left])
            else { return nil }
            // Cheeks of other colours: one of them is not skin (a lock over it, darker), and both are the brighter.
            let d = right.chroma - left.chroma
            if (d * d).sum().squareRoot() >= hair.chromaDistance {
                if right.luma >= left.luma { left = right } else { right = left }
            }
            (self.right, self.left) = (right, left)
            origin = axis.coordinates(of: .zero).x
            (perX, perY) = (axis.coordinates(of: SIMD2(1, 0)).x - origin, axis.coordinates(of: SIMD2(0, 1)).x - origin)
            (darkness, chromaDistance, softness) = (hair.darkness, hair.chromaDistance, max(hair.softness, 1e-3))
        }

        /// 0 (skin) … 1 (not skin) for `image`'s pixel (`x`, `y`); 0 outside the image.
        func unlikeness(of image: RGBImage, x: Int, y: Int) -> Float {
            guard x >= 0, y >= 0, x < image.width, y < image.height else { return 0 }
            let p = image[x, y]
            return unlikeness(SIMD3(Float(p.r), Float(p.g), Float(p.b)), x: x, y: y)
        }

        /// 0 (skin) … 1 (not skin) for the colour `rgb` (0…255) at pixel (`x`, `y`).
        func unlikeness(_ rgb: SIMD3<Float>, x: Int, y: Int) -> Float {
            let luma = rgb.sum() / 3
            let k = Ramp.smoothstep(min(max(2 * (origin + Float(x) * perX + Float(y) * perY) + 0.5, 0), 1))
            let dark = (darkness + softness - luma / (right.luma + k * (left.luma - right.luma))) / (2 * softness)
            let d = rgb.chroma - (right.chroma + k * (left.chroma - right.chroma))
            let coloured = ((d * d).sum().squareRoot() - chromaDistance + softness) / (2 * softness)
            return min(max(max(dark, coloured), 0), 1)
        }
    }
}
