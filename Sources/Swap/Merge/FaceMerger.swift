import Face
import Imaging
import Neural
import Stream

/// How the new face is blended into the frame.
public enum BlendMode: String, Sendable, CaseIterable {
    /// `frame·(1 − m) + face·m` with the feathered mask.
    case alpha
    /// Multi-band (Laplacian pyramid) blend: coarse light changes over a wide transition, fine detail over a narrow
    /// one (``PyramidBlend``).
    case pyramid
    /// Gradient-domain blend: the face keeps its own gradients and meets the frame at the mask's border, its colour
    /// corrected by a membrane from there inwards (``PoissonBlend``).
    case poisson
}

/// Blends a swapped face into the frame: landmark mask × swap mask, erode/dilate, feather, the target's eyes, mouth
/// and glasses kept, relighting (or colour transfer), opacity, then an alpha or multi-band blend whose paste-back
/// touches only the mask's footprint, and last the camera's grain in frame pixels (``GrainMatch``).
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
        /// Colour matching of the swap to the frame's face, used when relighting is off.
        public var colorTransfer = ColorTransfer.rct
        /// The target's light and tone under the swap's detail (strength 0 = off: colour transfer instead).
        public var relighting = Relighting(strength: 1)
        /// Synthetic grain up to the camera's noise on a cleaner new face (strength 0 = off).
        public var grain = GrainMatch(strength: 1)
        /// How the face is blended in.
        public var blend = BlendMode.pyramid
        /// Bands of the pyramid blend (the coarsest is 2^(levels−1) pixels wide).
        public var pyramidLevels = 5
        /// Face opacity 0…1.
        public var opacity: Float = 1
        /// Keep the target's mouth opening (teeth, tongue) instead of the swap's.
        public var keepOriginalMouth = false
        /// Keep the target's eye openings instead of the swap's.
        public var keepOriginalEyes = false
        /// Keep the target's glasses in front of the new face.
        public var keepGlasses = GlassesMode.auto
        /// Keep the target's hair (and background) where it lies over the face's outline (``HairOcclusion``).
        public var keepHair = HairMode.on
        /// How the target's hair is told from its skin.
        public var hair = HairOcclusion()
        /// Growth of kept eye openings in swap-space pixels (covers the lid margins; kept eyes also reach over the
        /// upper lashes, `keptEyeReach`).
        public var keptPartDilatePixels = 2
        /// Growth of a kept mouth opening in swap-space pixels: the target's own inner lip margin stays with it, so
        /// a landmarker reads the mouth's opening where the target's lips meet its teeth. At 2 pixels a photo with
        /// a moustache or a dark upper lip read as opening about a fifth less (mouth gain 0.79–0.84, 0.94–0.96 at
        /// 4; docs/BENCHMARKS.md, "Session 12").
        public var keptMouthDilatePixels = 4
        /// Radius of the kept mouth corners as a share of the mouth's width (0 = not kept), where a kept mouth's
        /// corners in the swap are darker than the target's: a photo's own creases (a top-lit photo's) and the
        /// dark point where its lips meet sat there as dark dots, up to a tenth of the mouth's width off the target's
        /// corner. Not where a moustache grows over the new lips (its ends stay).
        public var keptMouthCorner: Float = 0.16
        /// How far past the lower lip's outer edge a kept mouth keeps the target's edge, as a share of the mouth's
        /// width (0 = not kept), where the skin under the swap's lip stands out from the target's: a photo's own lip
        /// edge, its shadow line or pale band, lands a few pixels off the target's
        /// (``lowerLipEdge(swap:target:points:around:)``).
        public var keptLowerLipEdge: Float = 0.06
        /// Feather of kept openings: Gaussian σ in swap-space pixels (narrow: the face's feather is far too wide).
        public var keptPartBlurSigma: Float = 1
        /// How far kept eyes reach from the lid ring towards the crease (0…1): over the target's lashes and the
        /// band where a photo's own lash line and lid shadow would land (``FaceMeshTopology/eyeWithLashes``).
        public var keptEyeReach: Float = 0.75
        /// Feather of kept eyes as a share of their upper band's height (at least `keptPartBlurSigma`).
        public var keptEyeFeather: Float = 0.25
        /// Eye opening (lid to lid over corner to corner) below which an eye counts as closing.
        public var keptEyeOpenOpening: Float = 0.2
        /// How much wider a closing eye's feather grows: × (1 + this × closure), closure 0 at
        /// `keptEyeOpenOpening` and 1 when shut.
        public var keptClosedEyeFeather: Float = 4

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
    /// `occluders` cover (frame-space masks, e.g. hands) cut out so they stay in front. The target's hair
    /// (``HairOcclusion``) is found in the frame, and the mouth's corners are judged against it, so only
    /// ``merge(_:landmarks:occluders:into:glasses:)`` cuts or keeps those.
    public func mask(for swap: SwappedFace, landmarks: FaceLandmarks, occluders: [PlacedMask] = []) -> AlphaMask {
        let (w, h) = (swap.image.width, swap.image.height)
        guard let toSpace = swap.toFrame.inverted() else { return AlphaMask(width: w, height: h) }
        let points = (swap.landmarks ?? landmarks).points2D.map { toSpace.apply($0) }
        var mask = outline(for: swap, points: points)
        if let holes = keptHoles(for: swap, points: points, mouth: nil) { mask.cut(holes) }
        // After the face's own feather: an occluder keeps its own (narrow) edge.
        if let occluded = Self.occlusion(occluders, size: (w, h), toFrame: swap.toFrame) { mask.cut(occluded) }
        return mask
    }

    /// What `occluders` (frame-space masks, e.g. hands) cover in swap space, or nil when there are none.
    static func occlusion(_ occluders: [PlacedMask], size: (width: Int, height: Int), toFrame: AffineTransform2D) -> AlphaMask? {
        guard !occluders.isEmpty else { return nil }
        var free = AlphaMask(width: size.width, height: size.height, value: 1)
        for occluder in occluders { free.cutOut(occluder, toFrame: toFrame) }
        free.values.withUnsafeMutableBufferPointer { v in
            for i in v.indices { v[i] = 1 - v[i] }
        }
        return free
    }

    /// The face's own mask: landmark oval × swap mask, eroded, feathered, faded at the border, times opacity.
    private func outline(for swap: SwappedFace, points: [SIMD2<Float>]) -> AlphaMask {
        let (w, h) = (swap.image.width, swap.image.height)
        var mask = options.useLandmarkMask && points.count == FaceMeshTopology.pointCount
            ? PolygonRasterizer.fill(FaceMeshTopology.faceOval.map { points[$0] }, width: w, height: h)
            : AlphaMask(width: w, height: h, value: 1)
        if options.useSwapMask, let own = swap.mask { mask.multiply(by: own) }
        mask.erode(pixels: options.erodePixels)
        mask.gaussianBlur(sigma: options.blurSigma)
        mask.fadeBorder(pixels: 2)
        mask.multiply(by: min(max(options.opacity, 0), 1))
        return mask
    }

    /// The kept eye and mouth openings with their narrow feather (0…1), or nil when none are kept; with the target
    /// and its lips (`mouth`), also the mouth's corners and the lower lip's edge where they are kept
    /// (``mouthCorners(swap:target:points:around:)``, ``lowerLipEdge(swap:target:points:around:)``).
    private func keptHoles(for swap: SwappedFace, points: [SIMD2<Float>],
                           mouth: (target: RGBImage, lips: LipSurround)?) -> AlphaMask? {
        let kept = options.keptParts.union(swap.keptParts)
        guard !kept.isEmpty, points.count == FaceMeshTopology.pointCount else { return nil }
        var holes = AlphaMask(width: swap.image.width, height: swap.image.height)
        if kept.contains(.mouth) {
            Self.add([FaceMeshTopology.innerLips.map { points[$0] }], grow: options.keptMouthDilatePixels,
                     sigma: options.keptPartBlurSigma, to: &holes)
            if let mouth {
                // Both judge the swap against the target on the lips' box.
                let light = (swap: LipSurround.Brightness(of: swap.image, on: mouth.lips),
                             target: LipSurround.Brightness(of: mouth.target, on: mouth.lips))
                if let corners = mouthCorners(swap: light.swap, target: light.target, points: points,
                                              around: mouth.lips) {
                    for disc in corners.discs {
                        Self.add(disc.polygon, share: disc.share,
                                 sigma: max(options.keptPartBlurSigma, corners.radius / 3), to: &holes)
                    }
                }
                if let edge = lowerLipEdge(swap: light.swap, target: light.target, points: points, around: mouth.lips) {
                    Self.add(edge.polygon, share: edge.share, sigma: max(options.keptPartBlurSigma, edge.feather),
                             to: &holes)
                }
            }
        }
        if kept.contains(.eyes) {
            // The openings with their upper lash lines (see ``FaceMeshTopology/eyeWithLashes``), grown like the
            // mouth over the lid margins (a mesh swap leaves the ring itself to the target), feathered over a share
            // of the lash band so the lashes' tips fade into the new lid.
            let eyes = [(FaceMeshTopology.rightEye, FaceMeshTopology.rightEyeUpperCrease),
                        (FaceMeshTopology.leftEye, FaceMeshTopology.leftEyeUpperCrease)]
            var band: Float = 0
            for (ring, crease) in eyes {
                for k in 0..<7 {
                    let d = points[crease[k]] - points[ring[9 + k]]
                    band += (d * d).sum().squareRoot()
                }
            }
            let reach = min(max(options.keptEyeReach, 0), 1)
            band *= reach / 14
            for (ring, crease) in eyes {
                // A shut eye's kept band is the target's closed lid (make-up, its own light), which a narrow
                // feather set in the new lid as a pale oval; it fades out over more of the lid as the eye closes.
                let opening = FaceMeshTopology.eyeOpening(ring, on: points)
                let closure = 1 - min(opening / max(options.keptEyeOpenOpening, 1e-3), 1)
                let feather = options.keptEyeFeather * band * (1 + options.keptClosedEyeFeather * closure)
                Self.add([FaceMeshTopology.eyeWithLashes(ring, crease: crease, on: points, reach: reach)],
                         grow: options.keptPartDilatePixels, sigma: max(options.keptPartBlurSigma, feather), to: &holes)
                // The wide feather thins a shut eye's narrow band: the lids' line itself (the closed lashes, the
                // band's first twelfth) is kept whole, with the openings' narrow feather.
                if closure > 0, options.keptClosedEyeFeather > 0 {
                    Self.add([FaceMeshTopology.eyeWithLashes(ring, crease: crease, on: points, reach: reach / 12)],
                             grow: options.keptPartDilatePixels, sigma: options.keptPartBlurSigma, to: &holes)
                }
            }
        }
        return holes
    }

    /// Adds `polygon`, feathered with σ `sigma` and kept by `share` (0…1), to `holes` (the larger value wins).
    private static func add(_ polygon: [SIMD2<Float>], share: Float, sigma: Float, to holes: inout AlphaMask) {
        guard share > 0, var placed = PolygonRasterizer.fill([polygon], width: holes.width, height: holes.height,
                                                              grownBy: 0, feather: sigma) else { return }
        placed.mask.multiply(by: share)
        holes.formUnion(placed)
    }

    /// Adds `polygons`, grown by `grow` pixels and feathered with σ `sigma`, to `holes` (the larger value wins).
    private static func add(_ polygons: [[SIMD2<Float>]], grow: Int, sigma: Float, to holes: inout AlphaMask) {
        guard let placed = PolygonRasterizer.fill(polygons, width: holes.width, height: holes.height, grownBy: grow,
                                                  feather: sigma) else { return }
        holes.formUnion(placed)
    }

    /// Blends `swap` into `frame`. Frame pixels the blend does not reach are left bit-identical.
    ///
    /// - Parameter glasses: this face's glasses over time (``GlassesTrack``); a fresh one judges this frame alone.
    /// - Parameter occluders: frame-space masks of what stays in front of the face (hands): kept as the target's,
    ///   cut after the blend so no band of the face reaches over them.
    public func merge(_ swap: SwappedFace, landmarks: FaceLandmarks, occluders: [PlacedMask] = [],
                      into frame: inout RGBImage) {
        var glasses = GlassesTrack()
        merge(swap, landmarks: landmarks, occluders: occluders, into: &frame, glasses: &glasses)
    }

    public func merge(_ swap: SwappedFace, landmarks: FaceLandmarks, occluders: [PlacedMask] = [],
                      into frame: inout RGBImage, glasses: inout GlassesTrack) {
        guard let toSpace = swap.toFrame.inverted() else { return }
        // The new face's features (moved off the target's by a mesh swap) place the kept openings and the lip and
        // feature masks; the target's own landmarks find its glasses in the frame.
        let points = (swap.landmarks ?? landmarks).points2D.map { toSpace.apply($0) }
        let framePoints = swap.landmarks == nil ? points : landmarks.points2D.map { toSpace.apply($0) }
        var mask = outline(for: swap, points: points)
        // Hands in front leave the face's mask before any band is built, so no coarse band carries the face over
        // them; they are also kept as the target's after the blend, with their own narrow edge.
        let occluded = Self.occlusion(occluders, size: (swap.image.width, swap.image.height), toFrame: swap.toFrame)
        if let occluded { mask.cut(occluded) }
        guard mask.support(above: 1 / 255) != nil else { return }
        var face = swap.image
        let original = ImageWarper.resample(frame, width: face.width, height: face.height, outputToSource: swap.toFrame)
        // The target's hair over the outline leaves the mask like a hand, and stays the target's after the blend.
        let faceWidth = points.count == FaceMeshTopology.pointCount
            ? FaceMeshTopology.ovalWidth(points) : 0
        let risenBrows = risenBrows(of: swap, points: framePoints, faceWidth: faceWidth)
        let hair = options.keepHair == .on
            ? options.hair.hair(in: original, points: framePoints, region: mask, brows: risenBrows,
                                browsReach: risenBrowsReach(faceWidth: faceWidth)) : nil
        if let hair { mask.cut(hair) }
        // The target as the new face's features lay it out: light, lips and kept openings come from there.
        let target = swap.target ?? original
        let lips = lipSurround(for: swap, points: points, faceWidth: faceWidth)
        // What stays the target's, cut with a narrow feather after the blend (in a multi-band blend a hole would
        // let the target's dark eye sockets into the coarse bands: a halo around each eye).
        let holes = keptHoles(for: swap, points: points, mouth: lips.map { (target, $0) })
        // Openings moved off the frame's are painted into the face from the moved target after the relighting, so
        // the blend carries them like the rest of the face; otherwise they are cut from the blend.
        let paintedHoles = swap.target == nil ? nil : holes
        var kept = paintedHoles == nil ? holes : nil
        let glassesKept = keptGlasses(in: original, points: framePoints, framePixel: 1 / swap.toFrame.scale,
                                      track: &glasses)
        // The target's glasses and hair over the face: kept, and left out of the light the relighting reads.
        let overFace = Self.union(glassesKept, hair)
        for extra in [overFace, occluded] { kept = Self.union(kept, extra) }
        // Recolour only what the swapper drew: where its own mask is zero the swap may hold the frame itself
        // (the mesh swap does, under the feather's tail), which must stay as it is.
        var region = mask
        if options.useSwapMask, let own = swap.mask { region.zero(where: own) }
        if options.relighting.strength > 0, faceWidth > 0 {
            let weight = options.useSwapMask ? swap.mask ?? mask : mask
            let unlit = Self.union(overFace, risenBrows)
            options.relighting.apply(to: &face, target: target, weight: weight, region: region,
                                     features: FaceMeshTopology.featureRings.map { $0.map { points[$0] } },
                                     mouth: FaceMeshTopology.outerLips.map { points[$0] },
                                     brows: [FaceMeshTopology.rightEyebrowRing, FaceMeshTopology.leftEyebrowRing]
                                         .map { $0.map { points[$0] } },
                                     eyes: [FaceMeshTopology.rightEye, FaceMeshTopology.leftEye].map { $0.map { points[$0] } },
                                     exclude: unlit, faceWidth: faceWidth,
                                     fromOtherLight: swap.fromOtherLight, socketShadow: swap.socketShadow,
                                     socketStretch: swap.socketStretch,
                                     upperLipSkin: FaceMeshTopology.upperLipSkin.map { points[$0] },
                                     smileFolds: FaceMeshTopology.smileFolds.map { $0.map { points[$0] } },
                                     moustache: swap.moustache, smile: swap.smileMismatch, mesh: points)
            if let lips {
                options.relighting.relightLips(&face, target: target, around: lips, region: region, faceWidth: faceWidth,
                                               swapUpperLipBare: swap.fromOtherLight ? swap.moustache < 0.5 : nil)
            }
        } else if options.colorTransfer != .none {
            if let kept { region.cut(kept) }
            if let paintedHoles { region.cut(paintedHoles) }
            options.colorTransfer.apply(to: &face, reference: target, mask: region)
        }
        if let paintedHoles { face.mix(target, weight: paintedHoles) }
        // The camera's grain is measured on the frame before the paste and added in frame pixels after it: a face
        // resampled on its way to the frame (a trained model's crop, a shrunk box) would smear grain into blotches.
        let plate = options.grain.plate(of: frame, mask: mask, spare: [holes, kept].compactMap { $0 },
                                        toFrame: swap.toFrame)
        switch options.blend {
        case .alpha:
            if let kept { mask.cut(kept) }
            if swap.toFrame.isAxisAlignedShrink {
                // A face swapped in a shrunk box (`maxFaceWidth`): its change is pasted, as the other blends do, so
                // the paste takes the scaled path and the frame keeps the detail finer than the box.
                FacePaste.add(FacePaste.change(from: original, to: face, mask: mask), width: face.width,
                              height: face.height, toFrame: swap.toFrame, into: &frame)
            } else {
                FacePaste.blend(face, mask: mask, toFrame: swap.toFrame, into: &frame)
            }
        case .pyramid:
            let bands = PyramidBlend.Bands(over: face, under: original, mask: mask, levels: options.pyramidLevels)
            FacePaste.addBlend(face, under: original, mask: mask, bands: bands, fade: 1 << (options.pyramidLevels - 2),
                               kept: kept, toFrame: swap.toFrame, into: &frame)
        case .poisson:
            var difference = PoissonBlend.difference(over: face, under: original, mask: mask)
            if let kept {
                for i in difference.indices { difference[i] *= 1 - kept.values[i] }
            }
            FacePaste.add(difference, width: face.width, height: face.height, toFrame: swap.toFrame, into: &frame)
        }
        plate?.add(to: &frame)
    }

    /// The lips and the skin round them (swap space) for the kept mouth's corners and the lip step, or nil when
    /// neither runs. The box is no larger than they need: the lip step's cost grows with it (a margin of the
    /// corners' radius for both added 0.3 ms a face).
    private func lipSurround(for swap: SwappedFace, points: [SIMD2<Float>], faceWidth: Float) -> LipSurround? {
        guard faceWidth > 0, points.count == FaceMeshTopology.pointCount else { return nil }
        let corners = options.keptParts.union(swap.keptParts).contains(.mouth)
        let lipStep = options.relighting.strength > 0 && options.relighting.lipScale > 0
        guard corners || lipStep else { return nil }
        let margin = max(corners ? LipSurround.margin(holding: mouthCornerRadius(points: points), faceWidth: faceWidth) : 0,
                         lipStep ? options.relighting.lipMargin(faceWidth: faceWidth) : 0)
        return LipSurround(outer: FaceMeshTopology.outerLips.map { points[$0] },
                           inner: FaceMeshTopology.innerLips.map { points[$0] }, faceWidth: faceWidth, margin: margin,
                           canvas: (swap.image.width, swap.image.height))
    }

    /// The larger of two optional masks per pixel; nil when both are.
    private static func union(_ a: AlphaMask?, _ b: AlphaMask?) -> AlphaMask? {
        guard var a else { return b }
        if let b { a.formUnion(b) }
        return a
    }

    /// The target's glasses to keep (swap space, 0…1), or nil; `framePixel`: swap pixels per frame pixel.
    private func keptGlasses(in original: RGBImage, points: [SIMD2<Float>], framePixel: Float,
                             track: inout GlassesTrack) -> AlphaMask? {
        guard options.keepGlasses != .off, options.keepGlasses == .on || track.shouldLook() else { return nil }
        guard let found = GlassesDetector.detect(in: original, points: points, framePixel: framePixel) else {
            track.missed()
            return nil
        }
        track.observe(found.evidence)
        let share: Float = options.keepGlasses == .on ? 1 : track.shown
        guard share > 0 else {
            track.dropRims()
            return nil
        }
        // The frames: what is seen through clear lenses is the new face's. The rims are fitted every other look
        // and followed from frame to frame (``GlassesTrack/keptRims(fitting:)``); not on a face too small for faint
        // lines to be a frame's (``LowerRims/minimumEyeDistance``).
        let fit = track.keptRims { RimFit(in: original, points: points, framePixel: framePixel) }
        let lenses = GlassesDetector.lenses(of: found.lines, fit: fit, points: points)
        var lines = GlassesDetector.frames(of: found.lines, fit: fit, lenses: lenses, points: points)
        // Tinted lenses and sunglasses hide what is behind them: kept too, as far as they are dark.
        if let tinted = GlassesDetector.tintedLenses(in: original, lenses: lenses, points: points) {
            lines.formUnion(tinted)
        }
        // Grown and feathered by about a frame pixel: in a trained model's small crop one swap pixel covers several
        // frame pixels, and a margin of swap pixels would keep a band of the target's face round each frame line.
        if framePixel >= 0.5 { lines.erode(pixels: -Int(framePixel.rounded())) }
        if framePixel >= 0.3 { lines.gaussianBlur(sigma: framePixel) }
        if share < 1 { lines.multiply(by: share) }
        return lines
    }
}

extension RGBImage {
    /// `self·(1 − w) + other·w` per pixel, with `weight` (0…1) of the same size.
    mutating func mix(_ other: RGBImage, weight: AlphaMask) {
        precondition(other.width == width && other.height == height && weight.width == width && weight.height == height,
                     "image sizes differ")
        pixels.withUnsafeMutableBufferPointer { p in
            other.pixels.withUnsafeBufferPointer { o in
                weight.values.withUnsafeBufferPointer { m in
                    for i in m.indices where m[i] > 0 {
                        let a = min(m[i], 1)
                        for c in 3 * i..<3 * i + 3 {
                            p[c] = UInt8((Float(p[c]) + (Float(o[c]) - Float(p[c])) * a).rounded())
                        }
                    }
                }
            }
        }
    }
}
