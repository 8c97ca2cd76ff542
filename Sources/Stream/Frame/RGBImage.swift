/// A packed 8-bit RGB image: three bytes per pixel (R, G, B), rows `width * 3` bytes apart, no padding.
///
/// The one pixel layout every face stage works on. It is a value type (copy-on-write through its array),
/// so a stage can keep a copy of a frame while the pipeline moves on.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 3` bytes, row-major, R G B.
    public var pixels: [UInt8]

    /// A black image.
    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        self.pixels = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// Wraps existing pixels; `pixels.count` must be `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "pixel count does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Bytes per row.
    @inlinable public var rowBytes: Int { width * 3 }

    /// The pixel at (x, y) as (r, g, b).
    @inlinable public subscript(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        get {
            let i = (y * width + x) * 3
            return (pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
        }
    }
}
