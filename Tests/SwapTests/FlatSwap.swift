import Imaging
import Stream
@testable import Swap

extension SwappedFace {
    /// A frame-space swap (as the mesh swap's) of one flat colour, the size of `frame`: where a merge lays the new
    /// face shows at once.
    static func flat(_ colour: (UInt8, UInt8, UInt8), like frame: RGBImage) -> SwappedFace {
        var image = RGBImage(width: frame.width, height: frame.height)
        for y in 0..<image.height { for x in 0..<image.width { image[x, y] = colour } }
        return SwappedFace(image: image, mask: nil, toFrame: AffineTransform2D(translation: .zero))
    }
}
