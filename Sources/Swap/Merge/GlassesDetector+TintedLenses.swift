import Face
import Imaging
import Stream

/// Tinted lenses and sunglasses stay in front of the new face.
///
/// Through a clear lens the new face is seen, so only the frames are kept (``GlassesDetector/frames(of:fit:lenses:points:)``).
/// A dark lens hides the eyes: with the frames alone the new face's skin filled the lens round the target's kept
/// eye openings, dark holes in clear glass. Each lens is judged by its brightness against the cheek just below it
/// and kept with an opacity that rises as it darkens: none for a clear lens, all of it for sunglasses, in between
/// part of the target's tinted view over the new face.
extension GlassesDetector {
    /// Lens brightness over the cheek's (medians) at and above which a lens is clear (an eye, its lids and socket
    /// behind clear glass measure about 0.75–0.95 of the cheek).
    static let clearLens: Float = 0.6
    /// … at and below which it is opaque (sunglasses).
    static let darkLens: Float = 0.3

    /// The tinted lenses of `image` (swap space) to keep, each lens outline filled with its opacity (0…1); nil when
    /// every lens is clear.
    static func tintedLenses(in image: RGBImage, lenses: [Lens], points: [SIMD2<Float>]) -> AlphaMask? {
        guard let axis = EyeAxis(points) else { return nil }
        var kept: AlphaMask?
        for lens in lenses {
            guard let outline = lens.outline, outline.count >= 3 else { continue }
            let opacity = Self.opacity(of: outline, in: image, axis: axis)
            guard opacity > 0 else { continue }
            var filled = PolygonRasterizer.fill(outline, width: image.width, height: image.height)
            filled.multiply(by: opacity)
            if kept == nil { kept = filled } else { kept!.formUnion(filled) }
        }
        return kept
    }

    /// A lens's opacity (0 clear … 1 opaque) from its median luma over that of the cheek below it (a band from
    /// 0.05 to 0.2 eye distances under the lens, across its middle half); 0 when either is off the image.
    static func opacity(of outline: [SIMD2<Float>], in image: RGBImage, axis: EyeAxis) -> Float {
        let coordinates = outline.map(axis.coordinates(of:))
        let (left, right) = (coordinates.map(\.x).min()!, coordinates.map(\.x).max()!)
        let bottom = coordinates.map(\.y).max()!
        let middle = (left + right) / 2, quarter = (right - left) / 4
        let cheek = [axis.point(middle - quarter, bottom + 0.05), axis.point(middle + quarter, bottom + 0.05),
                     axis.point(middle + quarter, bottom + 0.2), axis.point(middle - quarter, bottom + 0.2)]
        guard let inside = Self.medianLuma(image, inside: outline),
              let below = Self.medianLuma(image, inside: cheek), below > 0.05
        else { return 0 }
        return Ramp(from: clearLens, full: darkLens)(inside / below)
    }

    /// The median luma (0…1) of `image` inside `polygon`; nil with fewer than 16 pixels.
    private static func medianLuma(_ image: RGBImage, inside polygon: [SIMD2<Float>]) -> Float? {
        guard let (xs, ys) = BoundingBox(bounding: polygon).pixelRanges(width: image.width, height: image.height)
        else { return nil }
        let origin = SIMD2(Float(xs.lowerBound), Float(ys.lowerBound))
        let mask = PolygonRasterizer.fill(polygon.map { $0 - origin }, width: xs.count, height: ys.count)
        var histogram = LumaHistogram()
        image.pixels.withUnsafeBufferPointer { p in
            for y in ys {
                for x in xs where mask[x - xs.lowerBound, y - ys.lowerBound] > 0.5 {
                    let k = 3 * (y * image.width + x)
                    histogram.add(YCbCr.luma(at: p.baseAddress! + k))
                }
            }
        }
        guard histogram.total >= 16, let median = histogram.median else { return nil }
        return median / 255
    }
}
