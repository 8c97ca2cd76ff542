import Face
import Imaging
import Stream

/// Where a swapped frame differs from its original around one face, found from the pixels alone (any swapper, any
/// blend): the per-pixel change, smoothed, thresholded, closed and hole-filled inside a box around the original's
/// face. The rings just inside and just outside its border are where a pasted face shows.
struct ReplacedRegion {
    /// Change (mean |output − original| over R, G, B, 0–255) from which a pixel counts as replaced. Above the noise
    /// a lossy re-encode leaves (1–2 levels), below any visible change.
    static let changeThreshold: Float = 4

    /// The crop of the frame the figures are taken in (the face oval's box, widened by half a face on every side).
    let x0: Int, y0: Int, width: Int, height: Int
    /// Width of the original's face oval in pixels (sets every other scale).
    let faceWidth: Float
    /// 1 inside the replaced region, 0 outside (crop pixels).
    let inside: AlphaMask
    /// The original's brows, eyes and lips, grown by ``featureMargin`` of the face width (crop pixels): not skin.
    let features: AlphaMask

    /// Growth of the feature outlines left out of the skin figures, as a share of the face width.
    static let featureMargin: Float = 0.03

    /// nil when the face is too small, off the frame, or nothing (or next to nothing) was replaced.
    init?(original: RGBImage, output: RGBImage, landmarks: FaceLandmarks) {
        let points = landmarks.points2D
        guard points.count == FaceMeshTopology.pointCount else { return nil }
        let oval = BoundingBox(bounding: FaceMeshTopology.faceOval.map { points[$0] })
        guard oval.width >= 24 else { return nil }
        let pad = oval.width / 2
        x0 = max(0, Int((oval.x - pad).rounded(.down)))
        y0 = max(0, Int((oval.y - pad).rounded(.down)))
        let x1 = min(original.width, Int((oval.x + oval.width + pad).rounded(.up)))
        let y1 = min(original.height, Int((oval.y + oval.height + pad).rounded(.up)))
        guard x1 - x0 >= 16, y1 - y0 >= 16 else { return nil }
        width = x1 - x0
        height = y1 - y0
        faceWidth = oval.width
        var change = ScorePlanes.change(original, output, x: x0, y: y0, width: width, height: height)
        change.gaussianBlur(sigma: 2)
        var region = change
        let threshold = Self.changeThreshold / 255
        for i in region.values.indices { region.values[i] = region.values[i] > threshold ? 1 : 0 }
        // Closing bridges spots where the new face happens to match the old (same skin tone on a cheek); the hole
        // fill takes in kept eyes and mouth, so only the outer border is scored.
        let radius = max(2, Int((0.05 * faceWidth).rounded()))
        region.erode(pixels: -radius)
        region.erode(pixels: radius)
        Self.fillHoles(&region)
        let area = region.values.reduce(0, +)
        guard area >= 0.02 * faceWidth * faceWidth else { return nil }
        inside = region
        let origin = SIMD2(Float(x0), Float(y0))
        features = FaceMeshTopology.featureMask(on: points.map { $0 - origin }, width: width, height: height,
                                                grownBy: Self.featureMargin, faceWidth: faceWidth)
    }

    /// Sets every 0-pixel not connected to the crop's border to 1.
    static func fillHoles(_ mask: inout AlphaMask) {
        let (w, h) = (mask.width, mask.height)
        var outside = [Bool](repeating: false, count: w * h)
        var stack: [Int] = []
        func push(_ i: Int) {
            if !outside[i] && mask.values[i] < 0.5 { outside[i] = true; stack.append(i) }
        }
        for x in 0..<w { push(x); push((h - 1) * w + x) }
        for y in 0..<h { push(y * w); push(y * w + w - 1) }
        while let i = stack.popLast() {
            let x = i % w, y = i / w
            if x > 0 { push(i - 1) }
            if x + 1 < w { push(i + 1) }
            if y > 0 { push(i - w) }
            if y + 1 < h { push(i + w) }
        }
        for i in 0..<(w * h) where !outside[i] { mask.values[i] = 1 }
    }

    /// The region grown (`pixels` > 0) or shrunk (< 0).
    func grown(by pixels: Int) -> AlphaMask {
        var m = inside
        m.erode(pixels: -pixels)
        return m
    }

    /// Pixels with `a` = 1 and `b` = 0 (a ring between two nested regions).
    static func ring(_ a: AlphaMask, minus b: AlphaMask) -> [Bool] {
        zip(a.values, b.values).map { $0 > 0.5 && $1 < 0.5 }
    }
}

/// Per-pixel planes of crops used by the score, as ``AlphaMask``s so the mask filters (blur, min/max) apply.
enum ScorePlanes {
    /// Mean |a − b| over R, G, B, scaled to 0…1, of a crop.
    static func change(_ a: RGBImage, _ b: RGBImage, x: Int, y: Int, width: Int, height: Int) -> AlphaMask {
        var plane = AlphaMask(width: width, height: height)
        a.pixels.withUnsafeBufferPointer { p in
            b.pixels.withUnsafeBufferPointer { q in
                for row in 0..<height {
                    for col in 0..<width {
                        let i = 3 * ((y + row) * a.width + x + col)
                        let d = abs(Int(p[i]) - Int(q[i])) + abs(Int(p[i + 1]) - Int(q[i + 1])) + abs(Int(p[i + 2]) - Int(q[i + 2]))
                        plane.values[row * width + col] = Float(d) / (3 * 255)
                    }
                }
            }
        }
        return plane
    }

    /// Black top-hat (closing minus the image) of radius `radius`: thin dark structures (frames of glasses, brows,
    /// lashes, stubble) stand out, flat skin is 0.
    static func darkDetail(_ luma: AlphaMask, radius: Int) -> AlphaMask {
        var closed = luma
        closed.erode(pixels: -radius)
        closed.erode(pixels: radius)
        var out = closed
        for i in out.values.indices { out.values[i] = max(0, closed.values[i] - luma.values[i]) }
        return out
    }
}
