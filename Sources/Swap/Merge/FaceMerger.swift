import Face
import Imaging
import Neural
import Stream

/// Blends a swapped face into the frame: landmark mask × swap mask, erode/dilate, feather, colour transfer, opacity,
/// the target's own eyes and mouth where asked, then paste-back that touches only the mask's footprint.
///
/// The mask is built in swap space (the aligned crop or the mesh's frame box): its cost is fixed by the crop size,
/// and erosion and blur act in the same pixels the swap was made in, so one setting suits every face size of a
/// given model. The paste maps each frame pixel back through the exact inverse of `toFrame`.
public struct FaceMerger: Sendable {
    public struct Options: Sendable, Equatable {
        /// Multiply by the FACE_OVAL polygon of the target landmarks.
        public var useLandmarkMask = true
        /// Multiply by the swapper's own mask.
        public var useSwapMask = true
        /// Shrink (> 0) or grow (< 0) the mask by this many swap-space pixels.
        public var erodePixels = 2
        /// Feather: Gaussian σ in swap-space pixels (DeepFaceLive: blur 25 → σ 6.25).
        public var blurSigma: Float = 6.25
        /// Colour matching of the swap to the frame's face.
        public var colorTransfer = ColorTransfer.rct
        /// Face opacity 0…1.
        public var opacity: Float = 1
        /// Keep the target's mouth opening (teeth, tongue) instead of the swap's.
        public var keepOriginalMouth = false
        /// Keep the target's eye openings instead of the swap's.
        public var keepOriginalEyes = false
        /// Growth of kept eye and mouth openings in swap-space pixels (covers the lid and lip margins).
        public var keptPartDilatePixels = 2
        /// Feather of kept openings: Gaussian σ in swap-space pixels (narrow: the face's feather is far too wide).
        public var keptPartBlurSigma: Float = 1

        /// The parts these options keep.
        public var keptParts: FaceParts {
            var parts: FaceParts = []
            if keepOriginalMouth { parts.insert(.mouth) }
            if keepOriginalEyes { parts.insert(.eyes) }
            return parts
        }

        public init() {}
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// The final blend mask in swap space for `swap` over a face with `landmarks` (frame pixels), with whatever
    /// `occluders` cover (frame-space masks, e.g. hands) cut out so they stay in front.
    public func mask(for swap: SwappedFace, landmarks: FaceLandmarks, occluders: [PlacedMask] = []) -> AlphaMask {
        let (w, h) = (swap.image.width, swap.image.height)
        guard let toSpace = swap.toFrame.inverted() else { return AlphaMask(width: w, height: h) }
        let points = landmarks.points2D.map { toSpace.apply($0) }
        var mask = options.useLandmarkMask && points.count == FaceMeshTopology.pointCount
            ? PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: w, height: h)
            : AlphaMask(width: w, height: h, value: 1)
        if options.useSwapMask, let own = swap.mask { mask.multiply(by: own) }
        mask.erode(pixels: options.erodePixels)
        mask.gaussianBlur(sigma: options.blurSigma)
        let kept = options.keptParts.union(swap.keptParts)
        if !kept.isEmpty, points.count == FaceMeshTopology.pointCount {
            var holes = AlphaMask(width: w, height: h)
            for ring in kept.rings { PolygonRasterizer.fill(ring.map { points[$0] }, into: &holes) }
            holes.erode(pixels: -options.keptPartDilatePixels)
            holes.gaussianBlur(sigma: options.keptPartBlurSigma)
            mask.values.withUnsafeMutableBufferPointer { m in
                holes.values.withUnsafeBufferPointer { o in
                    for i in m.indices { m[i] *= 1 - o[i] }
                }
            }
        }
        mask.fadeBorder(pixels: 2)
        // After the face's own feather: an occluder keeps its own (narrow) edge.
        for occluder in occluders { mask.cutOut(occluder, toFrame: swap.toFrame) }
        mask.scale(by: min(max(options.opacity, 0), 1))
        return mask
    }

    /// Blends `swap` into `frame`. Frame pixels where the mask is ≤ 1/255 are left bit-identical.
    public func merge(_ swap: SwappedFace, landmarks: FaceLandmarks, occluders: [PlacedMask] = [], into frame: inout RGBImage) {
        let mask = mask(for: swap, landmarks: landmarks, occluders: occluders)
        guard let support = mask.support(above: 1 / 255), let toSpace = swap.toFrame.inverted() else { return }
        var face = swap.image
        if options.colorTransfer != .none {
            let original = ImageWarper.warp(frame, width: face.width, height: face.height, outputToSource: swap.toFrame)
            // Recolour only what the swapper drew: where its own mask is zero the swap may hold the frame itself
            // (the mesh swap does, under the feather's tail), which must stay as it is.
            var region = mask
            if options.useSwapMask, let own = swap.mask { region.zero(where: own) }
            options.colorTransfer.apply(to: &face, reference: original, mask: region)
        }
        let box = swap.toFrame.boundingBox(
            ofX: Float(support.x0 - 1)...Float(support.x1 + 1), y: Float(support.y0 - 1)...Float(support.y1 + 1))
        let x0 = max(0, Int(box.x.rounded(.down))), y0 = max(0, Int(box.y.rounded(.down)))
        let x1 = min(frame.width - 1, Int((box.x + box.width).rounded(.up)))
        let y1 = min(frame.height - 1, Int((box.y + box.height).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        if let offset = swap.toFrame.integerTranslation {
            Self.paste(face, mask: mask, at: offset, into: &frame, support: support)
        } else {
            Self.paste(face, mask: mask, toSpace: toSpace, into: &frame, x: x0...x1, y: y0...y1)
        }
    }

    /// The pixel-aligned paste of frame-space swaps (the mesh swap): no resampling, eight pixels per step. Gives
    /// the same bytes as the general paste at integer offsets, where its bilinear taps reduce to one pixel.
    private static func paste(
        _ face: RGBImage, mask: AlphaMask, at offset: SIMD2<Int>, into frame: inout RGBImage,
        support: (x0: Int, y0: Int, x1: Int, y1: Int)
    ) {
        let xa = max(support.x0, -offset.x), xb = min(support.x1, frame.width - 1 - offset.x)
        let ya = max(support.y0, -offset.y), yb = min(support.y1, frame.height - 1 - offset.y)
        guard xa <= xb, ya <= yb else { return }
        let (fw, frameWidth) = (face.width, frame.width)
        let threshold: Float = 1 / 255
        face.pixels.withUnsafeBufferPointer { facePx in
            mask.values.withUnsafeBufferPointer { maskPx in
                frame.pixels.withUnsafeMutableBufferPointer { out in
                    for row in ya...yb {
                        let alpha = maskPx.baseAddress! + row * fw
                        let src = facePx.baseAddress! + 3 * (row * fw)
                        let dst = out.baseAddress! + 3 * ((row + offset.y) * frameWidth + offset.x)
                        for col in xa...xb {
                            let a = alpha[col]
                            guard a > threshold else { continue }
                            let q = dst + 3 * col, p = src + 3 * col
                            let under = SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)
                            let over = SIMD4(Float(p[0]), Float(p[1]), Float(p[2]), 0)
                            Bilinear.store(under + (over - under) * min(a, 1), to: q)
                        }
                    }
                }
            }
        }
    }

    /// `frame = frame·(1 − m) + face·m` over the box, sampling face and mask bilinearly in swap space.
    private static func paste(
        _ face: RGBImage, mask: AlphaMask, toSpace m: AffineTransform2D, into frame: inout RGBImage,
        x: ClosedRange<Int>, y: ClosedRange<Int>
    ) {
        let (fw, fh) = (face.width, face.height)
        let frameWidth = frame.width
        let threshold: Float = 1 / 255
        face.pixels.withUnsafeBufferPointer { facePx in
            mask.values.withUnsafeBufferPointer { maskPx in
                frame.pixels.withUnsafeMutableBufferPointer { out in
                    let src = facePx.baseAddress!, alpha = maskPx.baseAddress!, dst = out.baseAddress!
                    for row in y {
                        var sx = m.a * Float(x.lowerBound) + m.b * Float(row) + m.tx
                        var sy = m.c * Float(x.lowerBound) + m.d * Float(row) + m.ty
                        for col in x {
                            defer { sx += m.a; sy += m.c }
                            guard let t = Bilinear.zeroPadded(sx, sy, width: fw, height: fh) else { continue }
                            let a = Bilinear.sample(alpha, t)
                            guard a > threshold else { continue }
                            let q = dst + 3 * (row * frameWidth + col)
                            let under = SIMD4(Float(q[0]), Float(q[1]), Float(q[2]), 0)
                            let over = Bilinear.sampleRGB(src, Bilinear.clamped(sx, sy, width: fw, height: fh))
                            Bilinear.store(under + (over - under) * min(a, 1), to: q)
                        }
                    }
                }
            }
        }
    }
}
