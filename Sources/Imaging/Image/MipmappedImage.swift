import Foundation
import Stream

/// An image with its mipmaps: each level half the size of the one before, low-passed first, so that a warp which
/// shrinks the image samples a level near its own scale instead of skipping pixels.
///
/// A bilinear sample of an image shrunk by more than about 1.5× reads only some of the pixels under each output
/// pixel: fine texture (a glossy lip's highlights, skin pores, sensor grain) then comes out as glitter that changes
/// from frame to frame as the warp moves. A large photo laid on a small face shrinks 2–4×.
package struct MipmappedImage: Sendable {
    /// Each level's width and height; level 0 is the image itself, level k is 2^k times smaller.
    package let sizes: [(width: Int, height: Int)]
    /// Where each level's pixels start in `pixels`.
    package let offsets: [Int]
    /// All levels' pixels, one after the other, four bytes each: red, green, blue and a 0, so that a warp reads a
    /// pixel in one load (``Bilinear/sampleRGBX(_:_:)``; the swap's warp spent most of its time gathering bytes).
    package let pixels: [UInt8]

    /// - Parameters:
    ///   - image: level 0.
    ///   - smallestSide: no level is made whose shorter side would be below this.
    package init(_ image: RGBImage, smallestSide: Int = 16) {
        var levels = [image]
        while let last = levels.last, min(last.width, last.height) / 2 >= smallestSide {
            levels.append(Self.halved(last))
        }
        sizes = levels.map { ($0.width, $0.height) }
        var offsets = [Int](), count = 0
        for level in levels {
            offsets.append(count)
            count += level.width * level.height
        }
        var pixels = [UInt8](repeating: 0, count: 4 * count)
        for (level, offset) in zip(levels, offsets) {
            for i in 0..<(level.width * level.height) {
                for c in 0..<3 { pixels[4 * (offset + i) + c] = level.pixels[3 * i + c] }
            }
        }
        (self.offsets, self.pixels) = (offsets, pixels)
    }

    /// Level `k` as an image.
    package func level(_ k: Int) -> RGBImage {
        let (w, h) = sizes[k]
        var rgb = [UInt8](repeating: 0, count: 3 * w * h)
        for i in 0..<(w * h) {
            for c in 0..<3 { rgb[3 * i + c] = pixels[4 * (offsets[k] + i) + c] }
        }
        return RGBImage(width: w, height: h, pixels: rgb)
    }

    /// `image` at half its size (rounded up): a separable [1 3 3 1]/8 filter at every second pixel, edges repeated.
    /// Output pixel i sits at input 2i + 0.5, between the two middle taps.
    package static func halved(_ image: RGBImage) -> RGBImage {
        let (w, h) = (image.width, image.height)
        let (hw, hh) = ((w + 1) / 2, (h + 1) / 2)
        @inline(__always) func taps(_ i: Int, _ n: Int) -> (Int, Int, Int, Int) {
            (max(2 * i - 1, 0), min(2 * i, n - 1), min(2 * i + 1, n - 1), min(2 * i + 2, n - 1))
        }
        // The rows filtered across, as exact sums (weights 1 3 3 1: at most 8 × 255).
        var rows = [UInt16](repeating: 0, count: hw * h * 3)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let row = y * w
                for x in 0..<hw {
                    let (a, b, c, d) = taps(x, w)
                    for k in 0..<3 {
                        rows[3 * (y * hw + x) + k] = UInt16(src[3 * (row + a) + k]) + 3 * UInt16(src[3 * (row + b) + k])
                            + 3 * UInt16(src[3 * (row + c) + k]) + UInt16(src[3 * (row + d) + k])
                    }
                }
            }
        }
        var out = RGBImage(width: hw, height: hh)
        for y in 0..<hh {
            let (a, b, c, d) = taps(y, h)
            for x in 0..<hw {
                for k in 0..<3 {
                    let v = Int(rows[3 * (a * hw + x) + k]) + 3 * Int(rows[3 * (b * hw + x) + k])
                        + 3 * Int(rows[3 * (c * hw + x) + k]) + Int(rows[3 * (d * hw + x) + k])
                    out.pixels[3 * (y * hw + x) + k] = UInt8((v + 32) / 64)
                }
            }
        }
        return out
    }

    /// The level (fractional) for a warp that shrinks the image by `minification` (source pixels per output pixel):
    /// 0 up to no shrinking, log₂ beyond, capped at the last level.
    @inline(__always)
    package func level(minification: Float) -> Float {
        guard minification > 1 else { return 0 }
        return min(log2(minification), Float(sizes.count - 1))
    }

    /// Where level-0 pixel coordinate `p` lies on level `k`'s pixel grid: `p · scale + shift`.
    @inline(__always)
    package static func mapping(toLevel k: Int) -> (scale: Float, shift: Float) {
        let scale = 1 / Float(1 << k)
        return (scale, 0.5 * scale - 0.5)
    }
}
